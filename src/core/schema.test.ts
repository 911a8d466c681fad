import { describe, expect, it } from "vitest";
import {
  allDataProblems,
  canonicalJson,
  checkJsonSchema,
  compiledSchemaCount,
  compileSchema,
  dataProblems,
  formatSchemaProblem,
  SchemaLimitError,
  validateDatapointData,
} from "./schema.js";

describe("validateDatapointData", () => {
  it("accepts everything with the empty schema", () => {
    expect(validateDatapointData({}, "x")).toBe(true);
    expect(validateDatapointData({}, { a: [] })).toBe(true);
  });
  it("applies draft-07 keywords", () => {
    const schema = { type: "object", properties: { a: { type: "integer", minimum: 0 } }, required: ["a"] };
    expect(validateDatapointData(schema, { a: 3 })).toBe(true);
    expect(validateDatapointData(schema, { a: -1 })).toBe(false);
    expect(validateDatapointData(schema, { b: 1 })).toBe(false);
    expect(validateDatapointData({ type: "number" }, "5")).toBe(false);
    expect(validateDatapointData({ const: 5 }, 5)).toBe(true);
    expect(validateDatapointData(JSON.parse('{"if":{"type":"string"},"then":{"minLength":2}}'), "a")).toBe(
      false,
    );
  });
  it("treats 3.0 as an integer, as heedy does", () => {
    expect(validateDatapointData({ type: "integer" }, JSON.parse("3.0"))).toBe(true);
    expect(validateDatapointData({ type: "integer" }, 3.5)).toBe(false);
  });
  it("checks formats", () => {
    expect(validateDatapointData({ type: "string", format: "date-time" }, "2020-01-01T00:00:00Z")).toBe(true);
    expect(validateDatapointData({ type: "string", format: "date-time" }, "yesterday")).toBe(false);
    expect(validateDatapointData({ format: "email" }, "a@b.co")).toBe(true);
    expect(validateDatapointData({ format: "email" }, "nope")).toBe(false);
  });
  it("ignores unknown keywords and older draft markers", () => {
    expect(validateDatapointData({ type: "number", "x-unit": "kg" }, 2)).toBe(true);
    expect(
      validateDatapointData({ $schema: "http://json-schema.org/draft-04/schema#", type: "number" }, "a"),
    ).toBe(false);
  });
  it("allows two schemas with the same $id", () => {
    expect(validateDatapointData({ $id: "http://x/s", type: "number" }, 1)).toBe(true);
    expect(validateDatapointData({ $id: "http://x/s", type: "string" }, 1)).toBe(false);
  });
});

describe("compileSchema cache", () => {
  it("compiles equal schemas once, whatever their key order", () => {
    const a = compileSchema({ type: "number", minimum: 1 });
    const before = compiledSchemaCount();
    const b = compileSchema({ minimum: 1, type: "number" });
    expect(b).toBe(a);
    expect(compiledSchemaCount()).toBe(before);
  });
  it("stays bounded", () => {
    for (let i = 0; i < 600; i++) compileSchema({ type: "number", maximum: i });
    expect(compiledSchemaCount()).toBeLessThanOrEqual(256);
  });
  it("is not affected by later mutation of the caller's object", () => {
    const s: Record<string, unknown> = { type: "string", maxLength: 77 };
    const v = compileSchema(s);
    s.type = "number";
    expect(v("abc")).toBe(true);
  });
  it("canonicalJson sorts keys deeply", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });
});

describe("checkJsonSchema", () => {
  it("accepts valid schemas, including booleans", () => {
    expect(checkJsonSchema({})).toBeNull();
    expect(checkJsonSchema({ type: "object", properties: { a: { type: "string" } } })).toBeNull();
    expect(checkJsonSchema(true)).toBeNull();
  });
  it("refuses non-schemas with a JSON path", () => {
    expect(checkJsonSchema("lol")).not.toBeNull();
    const p = checkJsonSchema({ type: "object", properties: { a: { type: "strin" } } });
    expect(p).not.toBeNull();
    expect(p!.path).toBe("/properties/a/type");
    expect(formatSchemaProblem(p!)).toMatch(/^schema\/properties\/a\/type: /);
    expect(checkJsonSchema({ minimum: "3" })?.path).toBe("/minimum");
  });
  it("refuses schemas that cannot compile", () => {
    expect(checkJsonSchema({ $ref: "#/definitions/missing" })).not.toBeNull();
  });
});

describe("dataProblems", () => {
  it("gives the verdicts of validateDatapointData, with where and why", () => {
    const schema = {
      type: "object",
      properties: { temp: { type: "number", maximum: 60 } },
      required: ["temp"],
    };
    const values = [{ temp: 20 }, { temp: 80 }, {}, "x"];
    const problems = dataProblems(schema, values);
    expect(problems.map((p) => p === null)).toEqual(values.map((v) => validateDatapointData(schema, v)));
    expect(problems[1]).toMatchObject({ path: "/temp", keyword: "maximum" });
    expect(problems[2]).toMatchObject({ path: "", keyword: "required" });
    expect(problems[3]).toMatchObject({ path: "", keyword: "type" });
  });
  it("accepts everything with the empty schema", () => {
    expect(dataProblems({}, [1, "a", null])).toEqual([null, null, null]);
  });
});

describe("safety limits and the linear-time keywords", () => {
  it("uses RE2 for pattern and patternProperties", () => {
    const started = performance.now();
    expect(validateDatapointData({ pattern: "^(a+)+$" }, `${"a".repeat(50)}!`)).toBe(false);
    expect(validateDatapointData({ pattern: "^(a+)+$" }, "aaa")).toBe(true);
    const props = { patternProperties: { "^(a|aa)+$": { type: "number" } } };
    expect(validateDatapointData(props, { [`${"a".repeat(50)}!`]: "x", aa: 1 })).toBe(true);
    expect(validateDatapointData(props, { aa: "x" })).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("checks uniqueItems with JSON equality, in linear time", () => {
    const schema = { uniqueItems: true };
    expect(
      validateDatapointData(schema, [
        { a: 1, b: 2 },
        { b: 2, a: 1 },
      ]),
    ).toBe(false);
    expect(validateDatapointData(schema, [1, JSON.parse("1.0")])).toBe(false);
    expect(validateDatapointData(schema, [[1, 2], [2, 1], "1", 1])).toBe(true);
    expect(validateDatapointData({ uniqueItems: false }, [1, 1])).toBe(true);
    expect(dataProblems(schema, [[0, 1, 0]])[0]).toEqual({
      path: "",
      message: "must NOT have duplicate items (items ## 2 and 0 are identical)",
      keyword: "uniqueItems",
    });
    const items = Array.from({ length: 50_000 }, (_, i) => ({ a: i, b: [i, "x"] }));
    const started = performance.now();
    expect(validateDatapointData(schema, items)).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("refuses schemas over the limits in checkJsonSchema (marked as limits) and compileSchema", () => {
    const big = { enum: Array.from({ length: 1001 }, (_, i) => i) };
    expect(checkJsonSchema(big)).toEqual({
      path: "/enum",
      message: "schema enum has 1001 values; at most 1000 are allowed",
      limit: true,
    });
    expect(() => compileSchema(big)).toThrow(SchemaLimitError);
    expect(() => validateDatapointData({ pattern: "(a)\\1" }, "aa")).toThrow(/backreferences/);
    expect(checkJsonSchema({ $schema: "https://json-schema.org/draft/2020-12/schema" })?.limit).toBe(true);
    // Ordinary JSON Schema errors are not limits.
    expect(checkJsonSchema({ minimum: "3" })?.limit).toBeUndefined();
  });

  it("checks the regex format with the same engine", () => {
    expect(validateDatapointData({ format: "regex" }, "^a+$")).toBe(true);
    expect(validateDatapointData({ format: "regex" }, "(a)\\1")).toBe(false);
  });
});

describe("allDataProblems", () => {
  it("lists every problem of a value, where dataProblems stops at the first", () => {
    const schema = { type: "object", required: ["a", "b"], properties: { c: { type: "number" } } };
    expect(allDataProblems(schema, { c: "x" }).map((p) => [p.path, p.keyword])).toEqual([
      ["", "required"],
      ["", "required"],
      ["/c", "type"],
    ]);
    expect(dataProblems(schema, [{ c: "x" }])[0]?.keyword).toBe("required");
    expect(allDataProblems(schema, { a: 1, b: 2 })).toEqual([]);
    expect(allDataProblems({}, "anything")).toEqual([]);
  });
});
