import { describe, expect, it } from "vitest";
import {
  buildValue,
  fieldPointers,
  formValueOf,
  initialValue,
  problemAtField,
  validateValue,
  widgetFor,
} from "./append-model";

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

  it("reports unreadable input and schema failures at their field", async () => {
    expect(buildValue(widget, { temperature: "warm", note: "", level: "", ok: false }).errors).toEqual({
      "/temperature": "Enter a number",
    });
    const fields = fieldPointers(widget);
    expect(await validateValue(schema, { temperature: 100, ok: false }, fields)).toEqual({
      "/temperature": "Must be <= 60",
    });
    expect(await validateValue(schema, { ok: false }, fields)).toEqual({ "/temperature": "Required" });
    expect(await validateValue(schema, { temperature: 1, ok: false }, fields)).toEqual({});
    expect(await validateValue(schema, { temperature: 1, level: "mid", ok: false }, fields)).toEqual({
      "/level": 'Must be one of "low", "high"',
    });
    expect(await validateValue({ type: "integer" }, 1.5, [""])).toEqual({ "": "Must be a whole number" });
    expect(await validateValue({ type: "string", format: "date" }, "yesterday", [""])).toEqual({
      "": "Must be a valid date",
    });
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

  it("validates a JSON box against the whole schema", async () => {
    const w = widgetFor({ type: "array", items: { type: "number" } });
    const built = buildValue(w, "[1, 2]");
    expect(built.value).toEqual([1, 2]);
    expect(
      await validateValue({ type: "array", items: { type: "number" } }, ["x"], fieldPointers(w)),
    ).toEqual({
      "": "Must be of type number",
    });
    expect(buildValue(w, "[1,").errors[""]).toMatch(/Not valid JSON/);
  });

  it("places a problem deeper than any input at the nearest field above it", () => {
    expect(
      problemAtField({ path: "/place/lat", message: "must be number", keyword: "type" }, ["", "/place"]),
    ).toEqual({ "/place": "Must be of type number" });
    expect(
      problemAtField({ path: "", message: "must have required property 'a/b'", keyword: "required" }, [
        "",
        "/a~1b",
      ]),
    ).toEqual({ "/a~1b": "Required" });
    expect(problemAtField({ path: "", message: "bad $ref", keyword: "schema" }, [""])).toEqual({
      "": "The schema cannot check values: bad $ref",
    });
  });

  it("shows a stored value in the inputs, and reading them back gives the same value", () => {
    const d = { temperature: 21.5, level: "high", ok: true };
    const form = formValueOf(widget, d);
    expect(form).toEqual({ temperature: "21.5", note: "", level: "1", ok: true });
    expect(buildValue(widget, form!).value).toEqual(d);
    expect(formValueOf(widgetFor({ type: "number" }), 42)).toBe("42");
    expect(formValueOf(widgetFor({}), { a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}');
  });

  it("refuses to show a value the inputs would change (so an edit never loses data)", () => {
    // A property the schema does not list, a value of another type, an unticked box that was absent.
    expect(formValueOf(widget, { temperature: 1, ok: true, extra: 1 })).toBeNull();
    expect(formValueOf(widget, { temperature: "warm", ok: true })).toBeNull();
    expect(formValueOf(widget, { temperature: 1 })).toBeNull();
    expect(formValueOf(widgetFor({ type: "number" }), "x")).toBeNull();
  });
});

describe("every problem at once", () => {
  it("validateValue places each of ajv's problems at its field, keeping known ones", async () => {
    const schema = {
      type: "object",
      properties: { a: { type: "number", maximum: 5 }, b: { type: "string" }, c: { type: "string" } },
      required: ["a", "b", "c"],
    };
    const fields = ["", "/a", "/b", "/c"];
    expect(await validateValue(schema, { a: 9 }, fields)).toEqual({
      "/a": "Must be <= 5",
      "/b": "Required",
      "/c": "Required",
    });
    // `/b` could not be read from its text: its own message stays, the schema's "Required" is dropped.
    expect(await validateValue(schema, { a: 1, c: "x" }, fields, { "/b": "Enter a number" })).toEqual({});
  });
});
