/**
 * The datapoint form (append and edit) is generated from the object's schema: which widget each
 * value gets, how the typed text becomes JSON (and a stored value becomes inputs again), and where
 * ajv's first complaint belongs.
 */
import { canonicalJson } from "../../../../core/schema-basics";
import { pointerSegment } from "../../../shared/schema/json-locate";
import { checkDataAll, type DataProblem } from "../../../shared/schema/schema-checks";
import { type EnumValue, schemaToVisual, type VisualNode } from "../../../shared/schema/visual-schema";

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

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The field message for one of ajv's problems (core/schema.ts passes ajv's own wording). */
function describe(p: DataProblem): string {
  switch (p.keyword) {
    case "required":
      return "Required";
    case "enum": {
      const allowed = /allowed values: (.*)$/s.exec(p.message);
      return allowed ? `Must be one of ${allowed[1]}` : capitalise(p.message);
    }
    case "type": {
      const type = /^must be (.+)$/s.exec(p.message)?.[1];
      if (type === "integer") return "Must be a whole number";
      return type ? `Must be of type ${type.replaceAll(",", " or ")}` : capitalise(p.message);
    }
    case "format": {
      const format = /format "(.+)"$/s.exec(p.message)?.[1];
      return format ? `Must be a valid ${format}` : capitalise(p.message);
    }
    case "schema":
      return `The schema cannot check values: ${p.message}`;
    default:
      return p.message ? capitalise(p.message) : "Invalid";
  }
}

/**
 * Places a problem at the pointer of the field it belongs to; `fields` lists the pointers the form
 * has inputs for, and a problem deeper than any input is shown at the nearest one above it. A
 * missing required property belongs to that property's input.
 */
export function problemAtField(problem: DataProblem, fields: readonly string[]): FieldErrors {
  let pointer = problem.path;
  if (problem.keyword === "required") {
    const missing = /required property '(.*)'$/s.exec(problem.message)?.[1];
    if (missing !== undefined) pointer = `${pointer}/${pointerSegment(missing)}`;
  }
  while (pointer !== "" && !fields.includes(pointer)) pointer = pointer.slice(0, pointer.lastIndexOf("/"));
  return { [pointer]: describe(problem) };
}

/**
 * Validates `d` with the server's ajv code (core/schema.ts, in the schema worker). Resolves to every
 * problem at its field (the first one where two land on the same field), or `{}` when valid.
 * `known` holds problems already found (unreadable text): they keep their field, since a "required"
 * there only echoes that the text could not be read.
 */
export async function validateValue(
  schema: unknown,
  d: unknown,
  fields: readonly string[],
  known: FieldErrors = {},
): Promise<FieldErrors> {
  const out: FieldErrors = {};
  for (const problem of await checkDataAll(schema, d)) {
    for (const [pointer, message] of Object.entries(problemAtField(problem, fields))) {
      if (!(pointer in known) && !(pointer in out)) out[pointer] = message;
    }
  }
  return out;
}

/**
 * The inputs showing a stored value `d`, or null when the widget cannot show it exactly (a
 * property the schema does not list, a value of another type): reading the inputs back must give
 * `d` again, so that editing a point never changes what the user did not touch.
 */
export function formValueOf(widget: Widget, d: unknown): FormValue | null {
  const toForm = (w: Widget, v: unknown): FormValue | null => {
    switch (w.kind) {
      case "boolean":
        return v === true;
      case "number":
        return typeof v === "number" ? String(v) : v === undefined ? "" : null;
      case "enum": {
        if (v === undefined) return "";
        const key = canonicalJson(v);
        const i = w.values.findIndex((e) => canonicalJson(e) === key);
        return i < 0 ? null : String(i);
      }
      case "string":
        return typeof v === "string" ? v : v === undefined ? "" : null;
      case "json":
        return v === undefined ? "" : JSON.stringify(v, null, 2);
      case "object": {
        if (v === undefined) return initialValue(w);
        if (typeof v !== "object" || v === null || Array.isArray(v)) return null;
        const out: Record<string, FormValue> = {};
        for (const f of w.fields) {
          const inner = toForm(f.widget, (v as Record<string, unknown>)[f.name]);
          if (inner === null) return null;
          out[f.name] = inner;
        }
        return out;
      }
    }
  };
  const value = toForm(widget, d);
  if (value === null) return null;
  const back = buildValue(widget, value);
  return Object.keys(back.errors).length === 0 && canonicalJson(back.value) === canonicalJson(d)
    ? value
    : null;
}

export function fieldPointers(widget: Widget, path = ""): string[] {
  if (widget.kind !== "object") return [path];
  return [
    path,
    ...widget.fields.flatMap((f) => fieldPointers(f.widget, `${path}/${pointerSegment(f.name)}`)),
  ];
}
