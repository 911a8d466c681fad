import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkColumnOrder,
  columnPoints,
  DatapointColumnBuilder,
  DatapointError,
  datapointJson,
  ERR_NEGATIVE_DURATION,
  ERR_NULL_DATAPOINT,
  ERR_ORDER,
  isIdenticalFinalPoint,
  jsonEqual,
  normaliseDatapointColumns,
  overlaps,
  type Point,
  parseTransform,
  pointColumns,
  TransformRuntimeError,
} from "./datapoint.js";
import { applyTransform, checkBatchOrder, normaliseDatapoints } from "./test-datapoint-oracle.js";

const P = (t: number, d: unknown = t, dt = 0): Point => ({ t, dt, d });

function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return "no error";
}

describe("normaliseDatapoints (8.2)", () => {
  it("fills defaults and ignores other keys", () => {
    expect(
      normaliseDatapoints([{}, { t: 2, d: null, dt: null, a: "x" }, { t: 3, d: { x: [] }, dt: 2 }]),
    ).toEqual([
      { t: 0, dt: 0, d: null },
      { t: 2, dt: 0, d: null },
      { t: 3, dt: 2, d: { x: [] } },
    ]);
  });
  it("refuses null elements, non-arrays and non-numeric t/dt", () => {
    expect(messageOf(() => normaliseDatapoints([{ t: 1 }, null]))).toBe(ERR_NULL_DATAPOINT);
    expect(messageOf(() => normaliseDatapoints({ t: 1 }))).toMatch(/^parse error: /);
    expect(messageOf(() => normaliseDatapoints([{ t: "1" }]))).toMatch(/^parse error: .*"t"/);
    expect(messageOf(() => normaliseDatapoints([{ t: 1, dt: "x" }]))).toMatch(/^parse error: .*"dt"/);
    expect(messageOf(() => normaliseDatapoints([5]))).toMatch(/^parse error: /);
  });
});

describe("checkBatchOrder (8.7 step 4)", () => {
  it("accepts increasing, non-intersecting points", () => {
    expect(() => checkBatchOrder([P(1), P(2, 0, 1), P(3), P(3.5, 0, 0.5), P(4)])).not.toThrow();
  });
  it("refuses duplicates, decreasing times and intersecting durations", () => {
    expect(messageOf(() => checkBatchOrder([P(1), P(1)]))).toBe(ERR_ORDER);
    expect(messageOf(() => checkBatchOrder([P(2), P(1)]))).toBe(ERR_ORDER);
    expect(messageOf(() => checkBatchOrder([P(1, 0, 2), P(2.5)]))).toBe(ERR_ORDER);
    expect(messageOf(() => checkBatchOrder([P(1), P(2, 0, -1)]))).toBe(ERR_NEGATIVE_DURATION);
  });
  it("reports whichever error comes first in array order", () => {
    expect(messageOf(() => checkBatchOrder([P(2), P(1), P(3, 0, -1)]))).toBe(ERR_ORDER);
    expect(messageOf(() => checkBatchOrder([P(2, 0, -1), P(1)]))).toBe(ERR_NEGATIVE_DURATION);
  });
});

describe("overlaps (8.7 step 5)", () => {
  it("follows the contract's rule", () => {
    expect(overlaps(P(1), P(1))).toBe(true);
    expect(overlaps(P(1.5), P(1, 0, 1))).toBe(true);
    expect(overlaps(P(1, 0, 1), P(1.5))).toBe(true);
    expect(overlaps(P(2), P(1, 0, 1))).toBe(false);
    expect(overlaps(P(1, 0, 1), P(2, 0, 1))).toBe(false);
    expect(overlaps(P(1), P(2))).toBe(false);
  });
  it("is symmetric", () => {
    const pt = fc.record({
      t: fc.integer({ min: 0, max: 20 }),
      dt: fc.integer({ min: 0, max: 5 }),
      d: fc.constant(0),
    });
    fc.assert(fc.property(pt, pt, (a, b) => overlaps(a, b) === overlaps(b, a)));
  });
});

describe("identical final point (12.12)", () => {
  it("needs dt 0 on both and equal data", () => {
    expect(isIdenticalFinalPoint(P(5, { a: 1, b: [] }), P(5, { b: [], a: 1 }))).toBe(true);
    expect(isIdenticalFinalPoint(P(5, 1), P(5, 2))).toBe(false);
    expect(isIdenticalFinalPoint(P(5, 1, 1), P(5, 1, 1))).toBe(false);
    expect(isIdenticalFinalPoint(P(5, 1), undefined)).toBe(false);
  });
  it("jsonEqual distinguishes arrays from objects", () => {
    expect(jsonEqual([], {})).toBe(false);
    expect(jsonEqual({ a: undefined }, { b: undefined })).toBe(false);
    expect(jsonEqual(null, null)).toBe(true);
  });
});

describe("datapointJson (8.2)", () => {
  it("writes t, dt only when non-zero, then d", () => {
    expect(datapointJson(1, 0, 5)).toBe('{"t":1,"d":5}');
    expect(datapointJson(1, 2, "x")).toBe('{"t":1,"dt":2,"d":"x"}');
    expect(datapointJson(1714557600.123456, 0, null)).toBe('{"t":1714557600.123456,"d":null}');
  });
  it("round-trips object data exactly, including {} and [] (heedy wrote a lone ])", () => {
    const json = fc.jsonValue();
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), json, (t, d) => {
        const parsed = JSON.parse(datapointJson(t, 0, d));
        expect(parsed.t).toBe(t === 0 ? 0 : t);
        expect(jsonEqual(parsed.d, JSON.parse(JSON.stringify(d)))).toBe(true);
        expect(Object.keys(parsed)).toEqual(["t", "d"]);
      }),
    );
    expect(datapointJson(1, 0, {})).toBe('{"t":1,"d":{}}');
    expect(datapointJson(1, 0, [])).toBe('{"t":1,"d":[]}');
    expect(datapointJson(1, 0, { a: [[], {}] })).toBe('{"t":1,"d":{"a":[[],{}]}}');
  });
});

describe("transforms (8.6)", () => {
  const data = [P(1, 5), P(2, 6, 0.5), P(3, 7, 2)];
  it("sum: first t, dt 0, empty gives t 0 d 0", () => {
    expect(applyTransform("sum", data)).toEqual([{ t: 1, dt: 0, d: 18 }]);
    expect(applyTransform("sum", [])).toEqual([{ t: 0, dt: 0, d: 0 }]);
  });
  it("count and mean span first t to last t + last dt", () => {
    expect(applyTransform("count", data)).toEqual([{ t: 1, dt: 4, d: 3 }]);
    expect(applyTransform("count", [])).toEqual([{ t: 0, dt: 0, d: 0 }]);
    expect(applyTransform("mean", data)).toEqual([{ t: 1, dt: 4, d: 6 }]);
    expect(applyTransform("mean", [])).toEqual([]);
  });
  it("min and max return the input point unchanged", () => {
    expect(applyTransform("min", data)).toEqual([P(1, 5)]);
    expect(applyTransform("max", data)).toEqual([P(3, 7, 2)]);
    expect(applyTransform("max", [])).toEqual([]);
  });
  it("first, last and d", () => {
    expect(applyTransform("first", data).map((p) => p.d)).toEqual([true, false, false]);
    expect(applyTransform("last", data).map((p) => p.d)).toEqual([false, false, true]);
    expect(applyTransform("last", data)[1]).toEqual({ t: 2, dt: 0.5, d: false });
    expect(applyTransform("d", data)).toEqual(data);
  });
  it("fails at run time on non-numeric data", () => {
    expect(() => applyTransform("sum", [P(1, "a")])).toThrow(TransformRuntimeError);
  });
  it("parses names and refuses others by name", () => {
    expect(parseTransform("")).toBeUndefined();
    expect(parseTransform(" sum ")).toBe("sum");
    expect(() => parseTransform("d | sum")).toThrow(DatapointError);
    expect(messageOf(() => parseTransform("where d > 5"))).toBe(
      'bad_query: unsupported transform "where d > 5"',
    );
  });
});

describe("columnar batches", () => {
  it("normalise the same way as the point form", () => {
    const json = fc.array(
      fc.record(
        {
          t: fc.oneof(fc.double({ noNaN: true }), fc.constant(null)),
          dt: fc.oneof(fc.constant(0), fc.double({ min: 0, noNaN: true }), fc.constant(null)),
          d: fc.oneof(fc.double({ noNaN: true }), fc.jsonValue()),
        },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(json, (body) => {
        const pts = normaliseDatapoints(body);
        const cols = normaliseDatapointColumns(body);
        expect(columnPoints(cols)).toEqual(pts);
        expect(columnPoints(pointColumns(pts))).toEqual(pts);
        let a = "ok";
        let b = "ok";
        try {
          checkBatchOrder(pts);
        } catch (e) {
          a = (e as Error).message;
        }
        try {
          checkColumnOrder(cols);
        } catch (e) {
          b = (e as Error).message;
        }
        expect(b).toBe(a);
      }),
    );
  });
  it("keep numeric d in a Float64Array and switch to values on the first non-number", () => {
    expect(normaliseDatapointColumns([{ t: 1, d: 2 }]).d).toBeInstanceOf(Float64Array);
    expect(normaliseDatapointColumns([{ t: 1, d: 2 }, { t: 2 }]).d).toEqual([2, null]);
    expect(() => normaliseDatapointColumns([{ t: 1 }, null])).toThrow(ERR_NULL_DATAPOINT);
  });
  it("build the same columns and errors when the array arrives in slabs", () => {
    const element = fc.oneof(
      fc.record({ t: fc.double({ noNaN: true }), d: fc.oneof(fc.double({ noNaN: true }), fc.jsonValue()) }),
      fc.jsonValue(),
    );
    fc.assert(
      fc.property(fc.array(element), fc.integer({ min: 1, max: 7 }), (body, slab) => {
        const whole = messageOf(() => normaliseDatapointColumns(body));
        const b = new DatapointColumnBuilder(1);
        const pieces = messageOf(() => {
          for (let i = 0; i < body.length; i += slab) b.add(body.slice(i, i + slab));
        });
        expect(pieces).toBe(whole);
        if (whole === "no error") {
          const cols = b.finish();
          expect(columnPoints(cols)).toEqual(columnPoints(normaliseDatapointColumns(body)));
          expect(cols.d instanceof Float64Array).toBe(
            normaliseDatapointColumns(body).d instanceof Float64Array,
          );
        }
      }),
    );
    expect(messageOf(() => new DatapointColumnBuilder().add([{ t: 1 }, { t: 2 }]))).toBe("no error");
    const b = new DatapointColumnBuilder();
    b.add([{ t: 1 }, { t: 2 }]);
    expect(messageOf(() => b.add([{ t: 3 }, { t: "x" }]))).toContain("near element 3 of");
  });
});
