/**
 * The append form is generated from the object's schema: which widget each value gets, how the
 * typed text becomes JSON, and where ajv's first complaint belongs.
 */
import type { ErrorObject } from "ajv";
import { compileInBrowser } from "../browser-validation";
import { pointerSegment } from "./SchemaEditor/json-locate";
import { type EnumValue, schemaToVisual, type VisualNode } from "./SchemaEditor/model";

export type Widget =
  | { kind: "number"; integer: boolean; minimum?: number; maximum?: number }
  | { kind: "enum"; values: EnumValue[] }
  | { kind: "boolean" }
  | { kind: "string"; format?: string }
  | { kind: "object"; fields: { name: string; required: boolean; description?: string; widget: Widget }[] }
  | { kind: "json" };

function widgetOf(node: VisualNode): Widget {
  switch (node.type) {
    case "number":
    case "integer":
      return {
        kind: "number",
        integer: node.type === "integer",
        minimum: node.minimum,
        maximum: node.maximum,
      };
    case "enum":
      return { kind: "enum", values: node.enumValues ?? [] };
    case "boolean":
      return { kind: "boolean" };
    case "string":
      return { kind: "string", format: node.format };
    case "object":
      if ((node.properties ?? []).length === 0) return { kind: "json" };
      return {
        kind: "object",
        fields: (node.properties ?? [])
          .filter((p) => p.name !== "")
          .map((p) => ({
            name: p.name,
            required: p.required,
            description: p.node.description,
            widget: widgetOf(p.node),
          })),
      };
    default:
      return { kind: "json" };
  }
}

export function widgetFor(schema: unknown): Widget {
  return widgetOf(schemaToVisual(schema ?? {}));
}

/** What the inputs hold: text for most, a boolean for checkboxes, nested for objects. */
export type FormValue = string | boolean | { [name: string]: FormValue };

export function initialValue(widget: Widget): FormValue {
  if (widget.kind === "boolean") return false;
  if (widget.kind === "object") {
    const out: Record<string, FormValue> = {};
    for (const f of widget.fields) out[f.name] = initialValue(f.widget);
    return out;
  }
  return "";
}

/** Field errors keyed by JSON pointer (`""` is the whole value, `/temperature` a property). */
export type FieldErrors = Record<string, string>;

const MISSING = Symbol("missing");

/**
 * Turns the inputs into the datapoint's `d`. Empty inputs of optional properties are left out;
 * text that cannot be read (not a number, broken JSON) is reported at its field.
 */
export function buildValue(
  widget: Widget,
  value: FormValue,
  path = "",
  errors: FieldErrors = {},
): { value: unknown; errors: FieldErrors } {
  const read = (w: Widget, v: FormValue, at: string): unknown => {
    switch (w.kind) {
      case "boolean":
        return v === true;
      case "number": {
        const text = String(v).trim();
        if (text === "") return MISSING;
        const n = Number(text);
        if (!Number.isFinite(n)) {
          errors[at] = "Enter a number";
          return MISSING;
        }
        return n;
      }
      case "enum": {
        if (v === "") return MISSING;
        return w.values[Number(v)];
      }
      case "string":
        return v === "" && at !== "" ? MISSING : String(v);
      case "json": {
        const text = String(v).trim();
        if (text === "") return MISSING;
        try {
          return JSON.parse(text) as unknown;
        } catch (e) {
          errors[at] = `Not valid JSON: ${(e as Error).message}`;
          return MISSING;
        }
      }
      case "object": {
        const record = typeof v === "object" ? v : {};
        const out: Record<string, unknown> = {};
        let touched = false;
        for (const f of w.fields) {
          const inner = read(
            f.widget,
            record[f.name] ?? initialValue(f.widget),
            `${at}/${pointerSegment(f.name)}`,
          );
          if (inner === MISSING) continue;
          out[f.name] = inner;
          if (inner !== false) touched = true;
        }
        // A nested object nobody filled in (only unticked boxes) is left out, not sent as {}.
        return at !== "" && !touched ? MISSING : out;
      }
    }
  };
  const result = read(widget, value, path);
  if (result === MISSING && Object.keys(errors).length === 0) errors[path] = "Enter a value";
  return { value: result === MISSING ? undefined : result, errors };
}

function describe(e: ErrorObject): string {
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return "Required";
    case "enum":
      return `Must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return `Must be ${params.comparison} ${params.limit}`;
    case "type":
      return `Must be ${params.type === "integer" ? "a whole number" : `of type ${params.type}`}`;
    case "format":
      return `Must be a valid ${params.format}`;
    default:
      return e.message ? e.message.charAt(0).toUpperCase() + e.message.slice(1) : "Invalid";
  }
}

/**
 * Validates `d` with the server's ajv setup (core/schema.ts). Returns the first problem at the
 * pointer of the field it belongs to; `fields` lists the pointers the form has inputs for, and a
 * problem deeper than any input is shown at the nearest one above it.
 */
export function validateValue(schema: unknown, d: unknown, fields: readonly string[]): FieldErrors {
  const validate = compileInBrowser(schema);
  // Without a browser-side validator the server's answer is the check (shown beside the form).
  if (validate === null || validate(d) === true) return {};
  const e = validate.errors?.[0];
  if (!e) return { "": "The value does not match the schema" };
  let pointer = e.instancePath;
  if (e.keyword === "required")
    pointer = `${pointer}/${String((e.params as { missingProperty: string }).missingProperty)}`;
  while (pointer !== "" && !fields.includes(pointer)) pointer = pointer.slice(0, pointer.lastIndexOf("/"));
  return { [pointer]: describe(e) };
}

export function fieldPointers(widget: Widget, path = ""): string[] {
  if (widget.kind !== "object") return [path];
  return [
    path,
    ...widget.fields.flatMap((f) => fieldPointers(f.widget, `${path}/${pointerSegment(f.name)}`)),
  ];
}
