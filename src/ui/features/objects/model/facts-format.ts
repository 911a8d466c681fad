/** Short text for the list's facts: a latest value in a cell, a count, a write time. */

/** A value in at most `max` characters: numbers to 4 significant digits, others as compact JSON. */
export function shortValue(d: unknown, max = 24): string {
  if (typeof d === "number") {
    if (Number.isInteger(d) && Math.abs(d) < 1e6) return String(d);
    return Math.abs(d) >= 1e6 || (d !== 0 && Math.abs(d) < 1e-3)
      ? d.toPrecision(3)
      : String(+d.toPrecision(4));
  }
  const text = typeof d === "string" ? d : (JSON.stringify(d) ?? "null");
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function shortCount(n: number): string {
  if (n < 10_000) return n.toLocaleString("en-US");
  const units: [number, string][] = [
    [1e9, "B"],
    [1e6, "M"],
    [1e3, "k"],
  ];
  for (const [size, unit] of units) if (n >= size) return `${+(n / size).toPrecision(3)}${unit}`;
  return String(n);
}

const pad = (n: number) => String(n).padStart(2, "0");

/** `2024-05-01 14:03` in the browser's zone. */
export function localDateTime(seconds: number): string {
  const d = new Date(seconds * 1000);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The numbers a sparkline can draw: numeric values, or null when there are none. */
export function sparkPoints(points: readonly { t: number; d: unknown }[]): [number, number][] | null {
  const out: [number, number][] = [];
  for (const p of points) if (typeof p.d === "number" && Number.isFinite(p.d)) out.push([p.t, p.d]);
  return out.length > 0 ? out : null;
}

/** An SVG path for points in a `width`×`height` box; flat series draw mid-height. */
export function sparkPath(
  points: readonly [number, number][],
  from: number,
  to: number,
  width: number,
  height: number,
): string {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const [, v] of points) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = to - from || 1;
  const y = (v: number) => (hi === lo ? height / 2 : height - 1 - ((v - lo) / (hi - lo)) * (height - 2));
  const x = (t: number) => Math.min(width, Math.max(0, ((t - from) / span) * width));
  return points.map(([t, v], i) => `${i === 0 ? "M" : "L"}${x(t).toFixed(1)},${y(v).toFixed(1)}`).join("");
}
