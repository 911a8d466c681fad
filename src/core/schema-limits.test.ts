import { describe, expect, it } from "vitest";
import { checkSchemaLimits, deeperThan, SCHEMA_LIMITS, utf8Length } from "./schema-limits.js";

const nested = (n: number): unknown => {
  let s: unknown = { type: "number" };
  for (let i = 1; i < n; i++) s = { not: s };
  return s;
};

describe("checkSchemaLimits", () => {
  it("accepts ordinary schemas", () => {
    expect(checkSchemaLimits({})).toBeNull();
    expect(checkSchemaLimits(true)).toBeNull();
    expect(
      checkSchemaLimits({
        $schema: "http://json-schema.org/draft-07/schema#",
        type: "object",
        properties: { a: { type: "string", pattern: "^x+$" }, b: { enum: [1, 2, 3] } },
        patternProperties: { "^n_": { type: "number" } },
      }),
    ).toBeNull();
  });

  it("caps depth, before anything recursive runs", () => {
    expect(checkSchemaLimits(nested(SCHEMA_LIMITS.maxDepth))).toBeNull();
    expect(checkSchemaLimits(nested(SCHEMA_LIMITS.maxDepth + 1))?.message).toBe(
      "schema is nested more than 32 levels deep; at most 32 are allowed",
    );
    expect(checkSchemaLimits(nested(100_000))?.message).toMatch(/nested more than 32/);
  });

  it("caps the serialized size in UTF-8 bytes", () => {
    const big = { description: "é".repeat(SCHEMA_LIMITS.maxBytes / 2) };
    // 65,536 bytes of "é" (two bytes each) plus the JSON around it.
    expect(checkSchemaLimits(big)).toEqual({
      path: "",
      message: "schema is 65554 bytes; at most 65536 are allowed",
    });
    expect(checkSchemaLimits({ description: "é".repeat(SCHEMA_LIMITS.maxBytes / 2 - 20) })).toBeNull();
  });

  it("caps enum length, with where", () => {
    const values = Array.from({ length: SCHEMA_LIMITS.maxEnumValues }, (_, i) => i);
    expect(checkSchemaLimits({ enum: values })).toBeNull();
    expect(checkSchemaLimits({ items: { enum: [...values, -1] } })).toEqual({
      path: "/items/enum",
      message: "schema enum at /items has 1001 values; at most 1000 are allowed",
    });
    // A property called "enum" is a schema, not the keyword; data inside const is never walked.
    expect(
      checkSchemaLimits({ properties: { enum: { type: "array" } }, const: { enum: [...values, 1] } }),
    ).toBeNull();
  });

  it("checks patterns where they are keywords, including definitions and patternProperties keys", () => {
    expect(checkSchemaLimits({ definitions: { a: { pattern: "(a)\\1" } } })?.path).toBe(
      "/definitions/a/pattern",
    );
    expect(checkSchemaLimits({ items: { patternProperties: { "(?=x)": {} } } })).toEqual({
      path: "/items/patternProperties/(?=x)",
      message: expect.stringMatching(/^schema pattern "\(\?=x\)" at \/items is not supported: lookahead/),
    });
    // Data, not patterns.
    expect(checkSchemaLimits({ default: { pattern: "(a)\\1" }, enum: [{ pattern: "(?=x)" }] })).toBeNull();
    expect(checkSchemaLimits({ properties: { pattern: { type: "string" } } })).toBeNull();
  });

  it("names the root in messages", () => {
    expect(checkSchemaLimits({ pattern: "(a)\\1" }, "settings_schema")?.message).toMatch(
      /^settings_schema pattern/,
    );
  });

  it("refuses $schema values other than draft-04/06/07", () => {
    for (const ok of [
      "http://json-schema.org/draft-07/schema#",
      "https://json-schema.org/draft-04/schema",
      "http://json-schema.org/draft-06/schema#",
    ]) {
      expect(checkSchemaLimits({ $schema: ok }), ok).toBeNull();
    }
    for (const bad of [
      "https://json-schema.org/draft/2020-12/schema",
      "https://json-schema.org/draft/2019-09/schema",
      "x",
    ]) {
      expect(checkSchemaLimits({ $schema: bad })?.message).toBe(
        `schema $schema ${JSON.stringify(bad)} is not supported: only JSON Schema draft-07 is supported (draft-04 and draft-06 are read as draft-07)`,
      );
    }
  });

  it("allows only local $refs and a root $id", () => {
    expect(
      checkSchemaLimits({ $id: "http://x/s", definitions: { a: {} }, $ref: "#/definitions/a" }),
    ).toBeNull();
    expect(checkSchemaLimits({ $ref: "http://example.com/s.json" })?.message).toMatch(
      /^schema \$ref "http:\/\/example.com\/s.json" is not supported: only references inside the schema/,
    );
    expect(checkSchemaLimits({ properties: { a: { $id: "#a" } } })?.message).toMatch(
      /\$id at \/properties\/a is not supported/,
    );
  });

  it("counts $refs as if inlined, so doubling chains are refused", () => {
    const chain = (n: number) => {
      const definitions: Record<string, unknown> = { [`d${n}`]: { type: "string" } };
      for (let i = 0; i < n; i++) {
        definitions[`d${i}`] = {
          anyOf: [{ $ref: `#/definitions/d${i + 1}` }, { $ref: `#/definitions/d${i + 1}` }],
        };
      }
      return { definitions, $ref: "#/definitions/d0" };
    };
    expect(checkSchemaLimits(chain(8))).toBeNull();
    const started = performance.now();
    expect(checkSchemaLimits(chain(60))?.message).toBe(
      "schema is too complex: with its $refs expanded it has over 25000 subschemas",
    );
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("refuses a $ref cycle that does not move into the value, and keeps one that does", () => {
    expect(
      checkSchemaLimits({
        definitions: { a: { anyOf: [{ $ref: "#/definitions/a" }] } },
        $ref: "#/definitions/a",
      })?.message,
    ).toMatch(/\$ref cycle at .* refers back to itself without moving into the value/);
    const list = {
      definitions: { l: { properties: { next: { $ref: "#/definitions/l" } } } },
      $ref: "#/definitions/l",
    };
    expect(checkSchemaLimits(list)).toBeNull();
  });
});

describe("helpers", () => {
  it("deeperThan counts containers", () => {
    expect(deeperThan(1, 0)).toBe(false);
    expect(deeperThan([], 0)).toBe(true);
    expect(deeperThan({ a: [[]] }, 3)).toBe(false);
    expect(deeperThan({ a: [[{}]] }, 3)).toBe(true);
  });

  it("utf8Length matches TextEncoder", () => {
    for (const s of ["", "abc", "é", "€", "😀", "a😀é€"])
      expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length);
  });
});
