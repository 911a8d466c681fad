import type { ChunkInput } from "./timeseries-codec.js";

/** Test-only: builds encoder input from points [start, end) of an array of {t, dt, d}. */
export function columnsOf(
  points: ReadonlyArray<{ t: number; dt: number; d: unknown }>,
  start: number,
  end: number,
): ChunkInput {
  const n = end - start;
  const t = new Float64Array(n);
  const dt = new Float64Array(n);
  let numeric = true;
  for (let i = 0; i < n; i++) {
    const p = points[start + i]!;
    t[i] = p.t;
    dt[i] = p.dt;
    if (numeric && typeof p.d !== "number") numeric = false;
  }
  let d: Float64Array | unknown[];
  if (numeric) {
    const f = new Float64Array(n);
    for (let i = 0; i < n; i++) f[i] = points[start + i]!.d as number;
    d = f;
  } else {
    d = new Array(n);
    for (let i = 0; i < n; i++) d[i] = points[start + i]!.d;
  }
  return { n, t, dt, d };
}
