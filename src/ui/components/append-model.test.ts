import { describe, expect, it } from "vitest";
import { buildValue, fieldPointers, initialValue, validateValue, widgetFor } from "./append-model";

const schema = {
  type: "object",
  properties: {
    temperature: { type: "number", minimum: -50, maximum: 60 },
    note: { type: "string" },
    level: { enum: ["low", "high"] },
    ok: { type: "boolean" },
  },
  required: ["temperature"],
};

describe("append form model", () => {
  const widget = widgetFor(schema);

  it("builds inputs from the schema", () => {
    expect(widget.kind).toBe("object");
    expect(fieldPointers(widget)).toEqual(["", "/temperature", "/note", "/level", "/ok"]);
    expect(initialValue(widget)).toEqual({ temperature: "", note: "", level: "", ok: false });
    expect(widgetFor({}).kind).toBe("json");
    expect(widgetFor({ type: "integer" })).toMatchObject({ kind: "number", integer: true });
  });

  it("leaves out empty optional fields and reads typed values", () => {
    const built = buildValue(widget, { temperature: " 21.5 ", note: "", level: "1", ok: true });
    expect(built).toEqual({ value: { temperature: 21.5, level: "high", ok: true }, errors: {} });
  });

  it("reports unreadable input and schema failures at their field", () => {
    expect(buildValue(widget, { temperature: "warm", note: "", level: "", ok: false }).errors).toEqual({
      "/temperature": "Enter a number",
    });
    const fields = fieldPointers(widget);
    expect(validateValue(schema, { temperature: 100, ok: false }, fields)).toEqual({
      "/temperature": "Must be <= 60",
    });
    expect(validateValue(schema, { ok: false }, fields)).toEqual({ "/temperature": "Required" });
    expect(validateValue(schema, { temperature: 1, ok: false }, fields)).toEqual({});
  });

  it("leaves out a nested object nobody filled in", () => {
    const nested = widgetFor({
      type: "object",
      properties: {
        dish: { type: "string" },
        place: {
          type: "object",
          properties: { lat: { type: "number" }, ok: { type: "boolean" } },
          required: ["lat"],
        },
      },
    });
    expect(buildValue(nested, { dish: "soup", place: { lat: "", ok: false } }).value).toEqual({
      dish: "soup",
    });
    expect(buildValue(nested, { dish: "", place: { lat: "1.5", ok: false } }).value).toEqual({
      place: { lat: 1.5, ok: false },
    });
  });

  it("validates a JSON box against the whole schema", () => {
    const w = widgetFor({ type: "array", items: { type: "number" } });
    const built = buildValue(w, "[1, 2]");
    expect(built.value).toEqual([1, 2]);
    expect(validateValue({ type: "array", items: { type: "number" } }, ["x"], fieldPointers(w))).toEqual({
      "": "Must be of type number",
    });
    expect(buildValue(w, "[1,").errors[""]).toMatch(/Not valid JSON/);
  });
});
