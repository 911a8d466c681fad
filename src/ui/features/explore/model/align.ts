/**
 * The CSV export of an Explore view: the series aligned on time, one row per distinct timestamp
 * and one column per series (empty where a series has no point at that time).
 */
import type { Datapoint } from "../../../../core/resources";

export interface AlignedColumn {
  name: string;
  points: readonly Datapoint[];
}

export interface AlignedTable {
  times: number[];
  /** columns[c][r]: the value of column c at times[r], undefined when it has none. */
  columns: unknown[][];
}

export function alignOnTime(columns: readonly AlignedColumn[]): AlignedTable {
  const all = new Set<number>();
  for (const c of columns) for (const p of c.points) all.add(p.t);
  const times = [...all].sort((a, b) => a - b);
  const row = new Map(times.map((t, i) => [t, i]));
  const out = columns.map((c) => {
    const values: unknown[] = new Array(times.length);
    for (const p of c.points) values[row.get(p.t)!] = p.d;
    return values;
  });
  return { times, columns: out };
}

function cell(v: unknown): string {
  if (v === undefined) return "";
  const text = typeof v === "string" ? v : JSON.stringify(v);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** `t,time,<name>…` with unix seconds and ISO 8601 UTC, one line per time. */
export function alignedCsv(columns: readonly AlignedColumn[]): string {
  const table = alignOnTime(columns);
  const lines = [["t", "time", ...columns.map((c) => c.name)].map(cell).join(",")];
  table.times.forEach((t, r) => {
    lines.push(
      [String(t), new Date(t * 1000).toISOString(), ...table.columns.map((c) => cell(c[r]))].join(","),
    );
  });
  return `${lines.join("\n")}\n`;
}
