import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonEqual, type Point } from "./datapoint.js";
import {
  CHANGES_PER_COLUMN,
  ChangeSampler,
  downsampleM4,
  M4Accumulator,
  SAMPLED_POINT_LIMIT,
  sampleChanges,
} from "./downsample.js";
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

/** Change sampling written out per column: first, the first `budget` changes, last. */
function bruteChanges(points: Point[], t1: number, t2: number, columns: number, budget: number): Point[] {
  const acc = new M4Accumulator(t1, t2, columns);
  const out: Point[] = [];
  let k = 0;
  while (k < points.length) {
    const col = acc.column(points[k]!.t);
    let end = k;
    while (end < points.length && acc.column(points[end]!.t) === col) end++;
    const keep = new Set<number>([k]);
    let changes = 0;
    for (let i = k + 1; i < end && changes < budget; i++) {
      if (!jsonEqual(points[i]!.d, points[i - 1]!.d)) {
        keep.add(i);
        changes++;
      }
    }
    keep.add(end - 1);
    for (const i of [...keep].sort((a, b) => a - b)) out.push(points[i]!);
    k = end;
  }
  return out;
}

const states = fc
  .array(
    fc.tuple(
      fc.integer({ min: 0, max: 2_000 }),
      fc.oneof(fc.constantFrom("a", "b", null, { k: 1 }, { k: 2 }, [1]), fc.integer({ min: 0, max: 2 })),
    ),
    { maxLength: 300 },
  )
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

describe("ChangeSampler", () => {
  it("keeps each column's first and last point and its first changes", () => {
    fc.assert(
      fc.property(states, fc.integer({ min: 1, max: 40 }), (pts, columns) => {
        const sampler = new ChangeSampler(0, 2_000, columns);
        for (const p of pts) sampler.add(p.t, p.dt, p.d);
        expect(sampler.result()).toEqual(bruteChanges(pts, 0, 2_000, columns, CHANGES_PER_COLUMN));
        expect(sampler.count).toBe(pts.length);
      }),
    );
  });
  it("gives the same answer when a spent column is skipped to its last point", () => {
    fc.assert(
      fc.property(states, fc.integer({ min: 1, max: 20 }), (pts, columns) => {
        const ref = new ChangeSampler(0, 2_000, columns);
        for (const p of pts) ref.add(p.t, p.dt, p.d);
        const sampler = new ChangeSampler(0, 2_000, columns);
        let i = 0;
        while (i < pts.length) {
          const col = sampler.spentColumn;
          if (col >= 0 && sampler.column(pts[i]!.t) === col) {
            let j = i;
            while (j < pts.length && sampler.column(pts[j]!.t) === col) j++;
            const last = pts[j - 1]!;
            sampler.skip(j - i, last.t, last.dt, last.d);
            i = j;
          } else {
            sampler.add(pts[i]!.t, pts[i]!.dt, pts[i]!.d);
            i++;
          }
        }
        expect(sampler.result()).toEqual(ref.result());
        expect(sampler.count).toBe(ref.count);
      }),
    );
  });
  it("caps the answer per column and overall", () => {
    const n = 200_000;
    const pts = Array.from({ length: n }, (_, i) => ({ t: i, d: i % 2 === 0 ? "x" : "y" }));
    const narrow = sampleChanges(pts, 100);
    expect(narrow.raw).toBe(false);
    expect(narrow.data).toHaveLength(100 * (CHANGES_PER_COLUMN + 2));
    // Many columns: the change budget shrinks so the whole answer stays under the limit.
    const wide = sampleChanges(pts, 20_000);
    expect(new ChangeSampler(0, 1, 20_000).budget).toBe(0);
    expect(wide.data.length).toBeLessThanOrEqual(SAMPLED_POINT_LIMIT);
    expect(wide.data).toHaveLength(40_000);
    expect(wide.data[0]).toEqual({ t: 0, d: "x" });
    expect(wide.data.at(-1)).toEqual({ t: n - 1, d: "y" });
  });
  it("is what downsampleM4 does with non-numeric values; few points stay raw", () => {
    const pts = Array.from({ length: 1000 }, (_, i) => ({ t: i, d: i < 500 ? 1 : "off" }));
    expect(downsampleM4(pts, 10)).toEqual(sampleChanges(pts, 10));
    expect(downsampleM4(pts, 10).data.length).toBeLessThan(60);
    const few = [
      { t: 1, d: "a" },
      { t: 2, dt: 3, d: "b" },
      { t: 9, d: "a" },
    ];
    expect(sampleChanges(few, 3)).toEqual({ raw: true, data: few });
  });
});
