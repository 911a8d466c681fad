import { describe, expect, it } from "vitest";
import {
  canonicalJson,
  checkJsonSchema,
  compiledSchemaCount,
  compileSchema,
  dataProblems,
  formatSchemaProblem,
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
