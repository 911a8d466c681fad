import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsonPieceWriter } from "./timeseries-json.js";

function written(f: (w: JsonPieceWriter) => void, pieceSize = 64): string {
  const w = new JsonPieceWriter(pieceSize);
  f(w);
  w.flush();
  return Buffer.concat(w.take()).toString("utf8");
}

describe("JsonPieceWriter", () => {
  it("prints decimals k/10^p exactly as JSON.stringify prints the double", () => {
    const k = fc.oneof(
      fc.integer({ min: -1e6, max: 1e6 }),
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
      fc.double({ min: -(2 ** 51), max: 2 ** 51, noNaN: true }).map(Math.trunc),
    );
    fc.assert(
      fc.property(k, fc.integer({ min: 0, max: 9 }), (k, p) => {
        const s = 10 ** p;
        expect(written((w) => w.decimal(k, p))).toBe(JSON.stringify(k / s));
      }),
      { numRuns: 5000 },
    );
    for (const [k, p] of [
      [2050, 2],
      [-5, 2],
      [1, 6],
      [1, 7],
      [999999999999999, 3],
      [1000000000000000, 0],
      [170000000012345, 5],
    ] as const) {
      expect(written((w) => w.decimal(k, p))).toBe(JSON.stringify(k / 10 ** p));
    }
  });
  it("prints any double like JSON.stringify", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(written((w) => w.number(x))).toBe(JSON.stringify(x));
      }),
      { numRuns: 5000 },
    );
  });
  it("writes batches in the contract's shape across piece boundaries", () => {
    const text = written((w) => {
      w.byte(91);
      w.batch(
        {
          n: 3,
          t: new Float64Array([1, 2.5, 3]),
          dt: new Float64Array([0, 1, 0]),
          d: [{ a: [] }, "é", null],
        },
        true,
      );
      w.batch(
        {
          n: 1,
          t: new Float64Array([4]),
          dt: null,
          d: new Float64Array([0.1]),
          dDecimal: { p: 1, k: new Float64Array([1]) },
        },
        false,
      );
      w.byte(93);
    }, 8);
    expect(text).toBe('[{"t":1,"d":{"a":[]}},{"t":2.5,"dt":1,"d":"é"},{"t":3,"d":null},{"t":4,"d":0.1}]');
    expect(JSON.parse(text)).toHaveLength(4);
  });
});
