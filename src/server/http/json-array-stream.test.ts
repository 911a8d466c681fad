import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsonArrayStream, JsonArrayStreamError } from "./json-array-stream.js";

/** Feeds `text` in chunks cut at `cuts` (byte offsets) and returns every element, or the error. */
function run(text: string, cuts: number[], slabBytes = 64): unknown[] | Error {
  const bytes = Buffer.from(text, "utf8");
  const out: unknown[] = [];
  const stream = new JsonArrayStream({ onElements: (e) => out.push(...e), slabBytes });
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  try {
    let from = 0;
    for (const p of [...points, bytes.length]) {
      stream.write(bytes.subarray(from, p));
      from = p;
    }
    stream.end();
    return out;
  } catch (e) {
    return e as Error;
  }
}

describe("JsonArrayStream", () => {
  it("gives exactly JSON.parse's elements, however the bytes are cut", () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue({ maxDepth: 6 }), { maxLength: 30 }),
        fc.constantFrom(undefined, 0, 1, 2, "\t"),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.integer({ min: 1, max: 300 }),
        (arr, indent, cuts, slab) => {
          const text = JSON.stringify(arr, null, indent);
          expect(run(text, cuts, slab)).toEqual(JSON.parse(text));
        },
      ),
      { numRuns: 400 },
    );
  });

  it("fails exactly where JSON.parse fails, on damaged arrays", () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue({ maxDepth: 3 }), { minLength: 1, maxLength: 10 }),
        fc.nat(),
        fc.constantFrom("", ",", "]", "[", "}", '"', "x", " ", "1"),
        fc.array(fc.nat(), { maxLength: 6 }),
        (arr, at, insert, cuts) => {
          const good = JSON.stringify(arr);
          const pos = at % (good.length + 1);
          const text = good.slice(0, pos) + insert + good.slice(pos);
          let expected: unknown;
          try {
            expected = JSON.parse(text);
          } catch {
            expected = "error";
          }
          const got = run(text, cuts);
          if (!Array.isArray(expected)) expect(got).toBeInstanceOf(JsonArrayStreamError);
          else expect(got).toEqual(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("refuses nesting deeper than the limit without parsing it", () => {
    const deep = `[${"[".repeat(100_000)}`;
    const got = run(deep, [7, 5000]);
    expect(got).toBeInstanceOf(JsonArrayStreamError);
    expect((got as Error).message).toBe("JSON nested deeper than 64 levels");
  });

  it("hands out slabs as bytes arrive, not only at the end", () => {
    const slabs: number[] = [];
    const stream = new JsonArrayStream({ onElements: (e) => slabs.push(e.length), slabBytes: 1000 });
    const point = Buffer.from(`${JSON.stringify({ t: 1, d: 1.5 })},`);
    stream.write(Buffer.from("["));
    for (let i = 0; i < 1000; i++) stream.write(point);
    expect(slabs.length).toBeGreaterThan(10);
    stream.write(Buffer.from('{"t":2,"d":3}]'));
    stream.end();
    expect(slabs.reduce((a, b) => a + b, 0)).toBe(1001);
  });

  it("refuses what is not one array", () => {
    for (const text of ["", "   ", "{}", "1", "[1] [2]", "[1", "[1,]", "[,1]", "[1 2]"]) {
      expect(run(text, []), text).toBeInstanceOf(JsonArrayStreamError);
    }
  });
});
