import { describe, expect, it } from "vitest";
import { inferSchema } from "./infer-schema";

describe("schema from data", () => {
  it("proposes types, required fields, enums for few strings, and min and max", () => {
    const values = Array.from({ length: 40 }, (_, i) => ({
      temp: 18 + (i % 7) * 0.5,
      mode: ["eco", "boost", "off"][i % 3],
      count: i,
      ...(i % 2 === 0 ? { note: `note ${i}` } : {}),
    }));
    expect(inferSchema(values)).toEqual({
      type: "object",
      properties: {
        count: { type: "integer", minimum: 0, maximum: 39 },
        mode: { type: "string", enum: ["boost", "eco", "off"] },
        note: { type: "string" },
        temp: { type: "number", minimum: 18, maximum: 21 },
      },
      required: ["count", "mode", "temp"],
    });
  });

  it("merges whole and fractional numbers, and lists the types of mixed simple values", () => {
    expect(inferSchema([1, 2.5, 3])).toEqual({ type: "number", minimum: 1, maximum: 3 });
    expect(inferSchema([true, false, true])).toEqual({ type: "boolean" });
    expect(inferSchema(["a", 1, null])).toEqual({
      anyOf: [{ type: "string", enum: ["a"] }, { type: "integer", minimum: 1, maximum: 1 }, { type: "null" }],
    });
    expect(inferSchema([true, null])).toEqual({ type: ["boolean", "null"] });
    expect(inferSchema([])).toEqual({});
  });
});
