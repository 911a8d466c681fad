/** Small helpers shared by the bench modules: timing, a deterministic series, and result lines. */
import { readFileSync } from "node:fs";

export function now(): number {
  return performance.now();
}

export function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * A 1 Hz temperature-like sensor: regular timestamps ending at `end`, values with two decimals
 * (a daily cycle plus deterministic noise). This is the "numeric series" of the budgets.
 */
export function sensorPoint(i: number, start: number): { t: number; d: number } {
  // xorshift-style hash of i: deterministic noise without state.
  let x = (i * 2654435761) >>> 0;
  x ^= x >>> 13;
  x = Math.imul(x, 1274126177) >>> 0;
  const noise = (x % 1000) / 1000 - 0.5;
  const v = 20 + 5 * Math.sin((i / 86400) * 2 * Math.PI) + noise;
  return { t: start + i, d: Math.round(v * 100) / 100 };
}

export interface Figure {
  name: string;
  value: string;
  budget: string;
  ok: boolean;
  note?: string;
}

const figures: Figure[] = [];

export function report(f: Figure): void {
  figures.push(f);
  const mark = f.ok ? "PASS" : "FAIL";
  console.log(`  [${mark}] ${f.name}: ${f.value}   (budget ${f.budget})${f.note ? `   ${f.note}` : ""}`);
}

export function info(line: string): void {
  console.log(`         ${line}`);
}

/** Rows printed as aligned columns (figures already reported, shown again side by side). */
export function table(head: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("   ")}`;
  console.log(line(head));
  for (const r of rows) console.log(line(r));
}

/** The 1, 5 and 15 minute load averages: figures on a shared machine need them beside. */
export function loadAverage(): string {
  try {
    return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  } catch {
    return "unknown";
  }
}

/** utime + stime of a process, in clock ticks (1/100 s on Linux); 0 once it is gone. */
export function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces): ppid is the 2nd, utime the 12th.
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}

export function allFigures(): readonly Figure[] {
  return figures;
}

export const fmt = {
  rate: (n: number) => `${Math.round(n).toLocaleString("en-US")}/s`,
  ms: (n: number) => `${n.toFixed(n < 10 ? 2 : 1)} ms`,
  ratio: (x: number) => `${x.toFixed(2)}x`,
  mb: (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`,
};
