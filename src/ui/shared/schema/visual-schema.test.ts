import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../../core/schema";
import {
  formatEnumText,
  nodeOfType,
  parseEnumText,
  schemaToVisual,
  visualProblems,
  visualToSchema,
} from "./visual-schema";

const roundTrip = (schema: unknown) => visualToSchema(schemaToVisual(schema));

describe("schema ↔ visual model", () => {
  it.each([
    {},
    { type: "number" },
    { type: "integer", minimum: 0, maximum: 10, description: "steps" },
    { type: "string", format: "date-time" },
    { type: "boolean" },
    { enum: ["low", "medium", "high"] },
    { type: "string", enum: ["a", "b"] },
    {
      type: "object",
      properties: {
        temperature: { type: "number", minimum: -50, maximum: 60 },
        note: { type: "string", description: "free text" },
        tags: { type: "array", items: { type: "string" } },
        place: { type: "object", properties: { lat: { type: "number" } }, required: ["lat"] },
      },
      required: ["temperature"],
      additionalProperties: false,
    },
    { type: "string", pattern: "^a", minLength: 2 },
    { type: ["number", "null"] },
    { anyOf: [{ type: "number" }, { type: "string" }] },
    { enum: [{ a: 1 }] },
    { type: "array" },
    { type: "array", items: [{ type: "number" }] },
  ])("gives back %j", (schema) => {
    expect(canonicalJson(roundTrip(schema))).toBe(canonicalJson(schema));
  });

  it("reads object properties with their required flags in order", () => {
    const node = schemaToVisual({
      type: "object",
      properties: { a: { type: "number" }, b: { enum: [1, 2] } },
      required: ["b"],
    });
    expect(node.properties?.map((p) => [p.name, p.required, p.node.type])).toEqual([
      ["a", false, "number"],
      ["b", true, "enum"],
    ]);
  });

  it("keeps keywords it does not edit and shows unsupported parts as custom", () => {
    expect(schemaToVisual({ type: "number", multipleOf: 5 }).extra).toEqual({ multipleOf: 5 });
    expect(schemaToVisual({ type: ["number", "null"] }).type).toBe("custom");
  });

  it("changing a node's type drops settings of the old type but keeps the description", () => {
    const next = nodeOfType("string", { type: "number", minimum: 3, description: "d", extra: {} });
    expect(visualToSchema(next)).toEqual({ type: "string", description: "d" });
  });

  it("leaves out unnamed properties and reports them", () => {
    const node = schemaToVisual({ type: "object", properties: {} });
    node.properties = [{ name: "", required: true, node: { type: "number", extra: {} } }];
    expect(visualToSchema(node)).toEqual({ type: "object", properties: {} });
    expect(visualProblems(node)).toEqual([{ path: "/", message: "Every property needs a name" }]);
  });

  it("parses and formats enum text", () => {
    expect(parseEnumText("low, medium , high")).toEqual(["low", "medium", "high"]);
    expect(parseEnumText('1, 2.5, "3", true, null, "a, b"')).toEqual([1, 2.5, "3", true, null, "a, b"]);
    expect(formatEnumText(["low", 1, "1", "a, b"])).toBe('low, 1, "1", "a, b"');
    expect(parseEnumText(formatEnumText(["x", 2, "2", false, "false"]))).toEqual([
      "x",
      2,
      "2",
      false,
      "false",
    ]);
  });
});
