import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Point } from "./datapoint.js";
import { downsampleM4, M4Accumulator } from "./downsample.js";
import { m4Indices } from "./test-downsample-oracle.js";

function bruteM4(points: Point[], t1: number, t2: number, columns: number): Point[] {
  const acc = new M4Accumulator(t1, t2, columns);
  const byCol = new Map<number, Point[]>();
  for (const p of points) {
    const c = acc.column(p.t);
    byCol.set(c, [...(byCol.get(c) ?? []), p]);
  }
  const out: Point[] = [];
  for (const c of [...byCol.keys()].sort((a, b) => a - b)) {
    const ps = byCol.get(c)!;
    if (ps.length <= 4) {
      out.push(...ps);
      continue;
    }
    let min = ps[0]!;
    let max = ps[0]!;
    for (const p of ps) {
      if ((p.d as number) < (min.d as number)) min = p;
      if ((p.d as number) > (max.d as number)) max = p;
    }
    const set = new Set([ps[0]!, min, max, ps[ps.length - 1]!]);
    out.push(...[...set].sort((a, b) => a.t - b.t));
  }
  return out;
}

const series = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: -50, max: 50 })), { maxLength: 400 })
  .map((pairs) => {
    const seen = new Set<number>();
    const pts: Point[] = [];
    for (const [t, d] of pairs.sort((a, b) => a[0] - b[0])) {
      if (seen.has(t)) continue;
      seen.add(t);
      pts.push({ t, dt: 0, d });
    }
    return pts;
  });

describe("M4Accumulator", () => {
  it("matches a brute-force M4 for random series", () => {
    fc.assert(
      fc.property(series, fc.integer({ min: 1, max: 60 }), (pts, columns) => {
        const acc = new M4Accumulator(0, 10_000, columns);
        for (const p of pts) acc.add(p);
        expect(acc.result()).toEqual(bruteM4(pts, 0, 10_000, columns));
        expect(acc.count).toBe(pts.length);
      }),
    );
  });
  it("gives the same answer when whole-column runs are added as summaries", () => {
    fc.assert(
      fc.property(series, fc.integer({ min: 1, max: 20 }), (pts, columns) => {
        const ref = new M4Accumulator(0, 10_000, columns);
        for (const p of pts) ref.add(p);
        const acc = new M4Accumulator(0, 10_000, columns);
        // Feed runs of 8 points: as a summary when all in one column, else one by one.
        for (let i = 0; i < pts.length; i += 8) {
          const run = pts.slice(i, i + 8);
          if (run.length > 4 && acc.column(run[0]!.t) === acc.column(run[run.length - 1]!.t)) {
            let min = run[0]!;
            let max = run[0]!;
            for (const p of run) {
              if ((p.d as number) < (min.d as number)) min = p;
              if ((p.d as number) > (max.d as number)) max = p;
            }
            acc.addRun(run.length, run[0]!, run[run.length - 1]!, min, max);
          } else {
            for (const p of run) acc.add(p);
          }
        }
        expect(acc.result()).toEqual(ref.result());
      }),
    );
  });
  it("keeps the extremes of a dense column", () => {
    const pts: Point[] = Array.from({ length: 1000 }, (_, i) => ({ t: i, dt: 0, d: Math.sin(i / 10) }));
    pts[500] = { t: 500, dt: 0, d: 99 };
    const acc = new M4Accumulator(0, 1000, 10);
    for (const p of pts) acc.add(p);
    const out = acc.result();
    expect(out.length).toBeLessThanOrEqual(40);
    expect(out.some((p) => p.d === 99)).toBe(true);
    expect(out[0]).toBe(pts[0]);
    expect(out[out.length - 1]).toBe(pts[999]);
  });
});

describe("downsampleM4 and m4Indices", () => {
  it("returns non-numeric and sparse series raw", () => {
    expect(downsampleM4([{ t: 1, d: "a" }], 10)).toEqual({ raw: true, data: [{ t: 1, d: "a" }] });
    const sparse = [
      { t: 1, d: 1 },
      { t: 2, dt: 1, d: 2 },
    ];
    expect(downsampleM4(sparse, 10)).toEqual({ raw: true, data: sparse });
  });
  it("reduces dense series", () => {
    const pts = Array.from({ length: 10_000 }, (_, i) => ({ t: i, d: i % 7 }));
    const r = downsampleM4(pts, 100);
    expect(r.raw).toBe(false);
    expect(r.data.length).toBeLessThanOrEqual(400);
  });
  it("m4Indices keeps gaps", () => {
    const t = Array.from({ length: 100 }, (_, i) => i);
    const d = t.map((i) => (i === 50 ? null : i));
    const idx = m4Indices(t, d, 2);
    expect(idx).toContain(50);
    expect(idx).toEqual([...idx].sort((a, b) => a - b));
  });
});
