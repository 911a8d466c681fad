/** Test-only: M4 over columnar arrays, kept to pin how the accumulator treats gaps. */
import { M4Accumulator } from "./downsample.js";

/**
 * M4 over columnar arrays (uPlot's layout): returns the indices to keep, in order. `d` values that
 * are null/NaN are kept as gaps (always included) so the drawn line breaks where the data does.
 */
export function m4Indices(
  t: ArrayLike<number>,
  d: ArrayLike<number | null>,
  columns: number,
  t1?: number,
  t2?: number,
): number[] {
  const n = t.length;
  if (n === 0) return [];
  const lo = t1 ?? t[0]!;
  const hi = t2 ?? t[n - 1]!;
  const acc = new M4Accumulator(lo, hi, columns);
  const gaps: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = d[i];
    if (v === null || v === undefined || Number.isNaN(v)) gaps.push(i);
    else acc.add({ t: t[i]!, dt: i, d: v });
  }
  // `dt` carried the index through the accumulator.
  const keep = acc.result().map((p) => p.dt);
  if (gaps.length === 0) return keep;
  return [...keep, ...gaps].sort((a, b) => a - b);
}
