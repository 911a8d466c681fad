import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { columnsOf } from "./test-codec-columns.js";
import { chunkStats, decodeChunk, decodeChunkTimes, encodeChunk } from "./timeseries-codec.js";

interface P {
  t: number;
  dt: number;
  d: unknown;
}

function roundTrip(points: P[]): P[] {
  const blob = encodeChunk(columnsOf(points, 0, points.length));
  const c = decodeChunk(blob);
  expect(Array.from(decodeChunkTimes(blob))).toEqual(Array.from(c.t));
  return Array.from({ length: c.n }, (_, i) => ({ t: c.t[i]!, dt: c.dt ? c.dt[i]! : 0, d: c.d[i] }));
}

describe("chunk codec", () => {
  it("round-trips regular timestamps with decimal values in ~1-2 bytes/point", () => {
    const pts = Array.from({ length: 4096 }, (_, i) => ({
      t: 1.7e9 + i,
      dt: 0,
      d: Math.round((20 + 5 * Math.sin(i / 50)) * 100) / 100,
    }));
    const blob = encodeChunk(columnsOf(pts, 0, pts.length));
    expect(blob.length / pts.length).toBeLessThan(3);
    expect(roundTrip(pts)).toEqual(pts);
  });
  it("round-trips microsecond python timestamps and random doubles exactly", () => {
    const pts = Array.from({ length: 500 }, (_, i) => ({
      t: 1583735182.6548438 + i * 0.37,
      dt: 0,
      d: Math.random(),
    }));
    expect(roundTrip(pts)).toEqual(pts);
  });
  it("packs irregular float timestamps below 8 bytes (XOR of neighbours) and keeps them exact", () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const pts = Array.from({ length: 1024 }, (_, i) => ({ t: 1.7e9 + i * 0.1 + rnd() * 0.01, dt: 0, d: 1 }));
    const blob = encodeChunk(columnsOf(pts, 0, pts.length));
    expect(blob.length / pts.length).toBeLessThan(5);
    expect(roundTrip(pts)).toEqual(pts);
  });
  it("round-trips arbitrary doubles, durations and JSON values", () => {
    const num = fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x));
    const point = fc.record({
      t: fc.oneof(
        num,
        fc.integer({ min: -1e6, max: 1e6 }).map((k) => k / 1000),
      ),
      dt: fc.oneof(fc.constant(0), num.map(Math.abs)),
      d: fc.oneof(num, fc.integer(), fc.jsonValue()),
    });
    fc.assert(
      fc.property(fc.array(point, { minLength: 1, maxLength: 60 }), (pts) => {
        const expected = pts.map((p) => ({ ...p, d: JSON.parse(JSON.stringify(p.d) ?? "null") }));
        const got = roundTrip(expected);
        expect(got.map((p) => JSON.stringify(p))).toEqual(expected.map((p) => JSON.stringify(p)));
      }),
      { numRuns: 300 },
    );
  });
  it("decodes from a Buffer view at an odd offset (as SQLite drivers hand them out)", () => {
    const pts = Array.from({ length: 50 }, (_, i) => ({ t: i * Math.PI, dt: i % 2, d: Math.random() }));
    const blob = encodeChunk(columnsOf(pts, 0, pts.length));
    const pool = Buffer.alloc(blob.length + 3);
    pool.set(blob, 3);
    const c = decodeChunk(pool.subarray(3));
    expect(Array.from(c.d as Float64Array)).toEqual(pts.map((p) => p.d));
    expect(Array.from(c.t)).toEqual(pts.map((p) => p.t));
  });
  it("handles large integer deltas and big decimals", () => {
    const pts = [
      { t: 0, dt: 0, d: 2 ** 50 },
      { t: 1, dt: 0, d: -(2 ** 50) },
      { t: 2, dt: 0, d: 123456789.123 },
      { t: 3, dt: 0, d: 1e-9 },
      { t: 4, dt: 0, d: 2 ** 31 + 5 },
    ];
    expect(roundTrip(pts)).toEqual(pts);
  });
  it("computes stats for M4 runs only for numeric chunks without durations", () => {
    const pts = [
      { t: 1, dt: 0, d: 5 },
      { t: 2, dt: 0, d: 1 },
      { t: 3, dt: 0, d: 9 },
      { t: 4, dt: 0, d: 4 },
    ];
    expect(chunkStats(columnsOf(pts, 0, 4))).toEqual({
      n: 4,
      t0: 1,
      t1: 4,
      tend: 4,
      m4: { firstD: 5, lastD: 4, minT: 2, minD: 1, maxT: 3, maxD: 9 },
    });
    expect(chunkStats(columnsOf([{ t: 1, dt: 2, d: 5 }], 0, 1))).toMatchObject({ tend: 3, m4: null });
    expect(chunkStats(columnsOf([{ t: 1, dt: 0, d: "x" }], 0, 1)).m4).toBeNull();
  });
});
