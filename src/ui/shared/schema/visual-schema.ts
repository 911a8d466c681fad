/**
 * The visual schema editor's model and its two conversions. `schemaToVisual` reads any JSON Schema;
 * keywords the visual editor does not edit are kept in `extra` and written back unchanged, so
 * JSON → visual → JSON gives back the same schema (the round trip the component tests check).
 */

export const VISUAL_TYPES = [
  "any",
  "number",
  "integer",
  "string",
  "boolean",
  "enum",
  "object",
  "array",
] as const;
export type VisualType = (typeof VISUAL_TYPES)[number] | "custom";

export const TYPE_LABELS: Record<VisualType, string> = {
  any: "Any JSON",
  number: "Number",
  integer: "Integer",
  string: "String",
  boolean: "Boolean",
  enum: "One of (enum)",
  object: "Object",
  array: "Array",
  custom: "Custom (edit as JSON)",
};

/** Formats ajv-formats checks (the same ajv setup validates on the server, core/schema.ts). */
export const STRING_FORMATS = [
  "date-time",
  "date",
  "time",
  "email",
  "uri",
  "uuid",
  "hostname",
  "ipv4",
  "ipv6",
  "regex",
] as const;

export type EnumValue = string | number | boolean | null;

export interface VisualNode {
  type: VisualType;
  description?: string;
  /** number and integer */
  minimum?: number;
  maximum?: number;
  /** enum */
  enumValues?: EnumValue[];
  /** string */
  format?: string;
  /** object */
  properties?: VisualProperty[];
  /** array: the schema of every item */
  items?: VisualNode;
  /** Keywords this editor does not show, written back as they are. */
  extra: Record<string, unknown>;
  /** `custom` only: the schema, kept whole. */
  raw?: unknown;
}

export interface VisualProperty {
  name: string;
  required: boolean;
  node: VisualNode;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isEnumValue(value: unknown): value is EnumValue {
  return value === null || ["string", "number", "boolean"].includes(typeof value);
}

const SIMPLE_TYPES = new Set(["number", "integer", "string", "boolean", "object", "array"]);

/**
 * Reads a schema into the visual model. Anything the visual editor cannot show faithfully (boolean
 * schemas, `type` lists, enums of objects) becomes a `custom` node that keeps the schema whole.
 */
export function schemaToVisual(schema: unknown): VisualNode {
  if (!isRecord(schema)) return customNode(schema);
  const rest: Record<string, unknown> = { ...schema };
  const take = <T>(key: string, ok: (v: unknown) => v is T): T | undefined => {
    if (!(key in rest) || !ok(rest[key])) return undefined;
    const v = rest[key] as T;
    delete rest[key];
    return v;
  };
  const isString = (v: unknown): v is string => typeof v === "string";
  const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

  if ("enum" in rest) {
    const values = rest.enum;
    if (!Array.isArray(values) || !values.every(isEnumValue)) return customNode(schema);
    delete rest.enum;
    const description = take("description", isString);
    return withOptional({ type: "enum", enumValues: [...values], extra: rest }, { description });
  }

  const type = rest.type;
  if (type === undefined) {
    const description = take("description", isString);
    return withOptional({ type: "any", extra: rest }, { description });
  }
  if (typeof type !== "string" || !SIMPLE_TYPES.has(type)) return customNode(schema);
  delete rest.type;
  const description = take("description", isString);
  switch (type) {
    case "number":
    case "integer": {
      const minimum = take("minimum", isNumber);
      const maximum = take("maximum", isNumber);
      return withOptional({ type, extra: rest }, { description, minimum, maximum });
    }
    case "string": {
      const format = take("format", isString);
      return withOptional({ type, extra: rest }, { description, format });
    }
    case "object": {
      const props = isRecord(rest.properties) ? rest.properties : undefined;
      const required =
        Array.isArray(rest.required) && rest.required.every(isString)
          ? (rest.required as string[])
          : undefined;
      if ((rest.properties !== undefined && !props) || (rest.required !== undefined && !required)) {
        return customNode(schema);
      }
      delete rest.properties;
      delete rest.required;
      const properties: VisualProperty[] = Object.entries(props ?? {}).map(([name, sub]) => ({
        name,
        required: required?.includes(name) ?? false,
        node: schemaToVisual(sub),
      }));
      // A required name without a property entry still has to stay required.
      for (const name of required ?? []) {
        if (!properties.some((p) => p.name === name))
          properties.push({ name, required: true, node: anyNode() });
      }
      return withOptional({ type, properties, extra: rest }, { description });
    }
    case "array": {
      if (rest.items !== undefined && !isRecord(rest.items)) return customNode(schema);
      const items = rest.items === undefined ? undefined : schemaToVisual(rest.items);
      delete rest.items;
      return withOptional({ type, extra: rest }, { description, items });
    }
    default:
      return withOptional({ type: type as "boolean", extra: rest }, { description });
  }
}

function withOptional(node: VisualNode, fields: Partial<VisualNode>): VisualNode {
  for (const [k, v] of Object.entries(fields)) {
    if (v !== undefined) (node as unknown as Record<string, unknown>)[k] = v;
  }
  return node;
}

function customNode(schema: unknown): VisualNode {
  return { type: "custom", raw: schema, extra: {} };
}

export function anyNode(): VisualNode {
  return { type: "any", extra: {} };
}

/** A fresh node of a type, keeping only the description (type-specific settings do not carry over). */
export function nodeOfType(type: VisualType, previous?: VisualNode): VisualNode {
  const node: VisualNode = { type, extra: {} };
  if (previous?.description) node.description = previous.description;
  if (type === "object") node.properties = previous?.type === "object" ? (previous.properties ?? []) : [];
  if (type === "enum") node.enumValues = previous?.type === "enum" ? (previous.enumValues ?? []) : [];
  if (type === "array") node.items = previous?.type === "array" ? previous.items : anyNode();
  if (type === "custom") node.raw = visualToSchema(previous ?? anyNode());
  return node;
}

/** Writes the visual model back as a JSON Schema (properties without a name are left out). */
export function visualToSchema(node: VisualNode): unknown {
  if (node.type === "custom") return node.raw ?? {};
  const out: Record<string, unknown> = {};
  if (node.type !== "any" && node.type !== "enum") out.type = node.type;
  if (node.description) out.description = node.description;
  switch (node.type) {
    case "number":
    case "integer":
      if (node.minimum !== undefined) out.minimum = node.minimum;
      if (node.maximum !== undefined) out.maximum = node.maximum;
      break;
    case "string":
      if (node.format) out.format = node.format;
      break;
    case "enum":
      out.enum = [...(node.enumValues ?? [])];
      break;
    case "object": {
      const properties: Record<string, unknown> = {};
      const required: string[] = [];
      for (const p of node.properties ?? []) {
        if (p.name === "" || p.name in properties) continue;
        properties[p.name] = visualToSchema(p.node);
        if (p.required) required.push(p.name);
      }
      out.properties = properties;
      if (required.length > 0) out.required = required;
      break;
    }
    case "array":
      if (node.items) out.items = visualToSchema(node.items);
      break;
    default:
      break;
  }
  return { ...out, ...node.extra };
}

/** Problems the visual editor shows beside the fields before the schema can be saved. */
export function visualProblems(node: VisualNode, path = ""): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if ((node.type === "number" || node.type === "integer") && node.minimum !== undefined) {
    if (node.maximum !== undefined && node.minimum > node.maximum) {
      problems.push({ path, message: "Minimum is larger than maximum" });
    }
  }
  if (node.type === "enum" && (node.enumValues?.length ?? 0) === 0) {
    problems.push({ path, message: "Give at least one allowed value" });
  }
  if (node.type === "object") {
    const seen = new Set<string>();
    for (const p of node.properties ?? []) {
      const at = `${path}/${p.name}`;
      if (p.name.trim() === "") problems.push({ path: at, message: "Every property needs a name" });
      else if (seen.has(p.name)) problems.push({ path: at, message: `Property "${p.name}" appears twice` });
      seen.add(p.name);
      problems.push(...visualProblems(p.node, at));
    }
  }
  if (node.type === "array" && node.items) problems.push(...visualProblems(node.items, `${path}/items`));
  return problems;
}

/** Enum values as a person types them: `low, medium, high` or `1, 2, 3`; quotes force a string. */
export function parseEnumText(text: string): EnumValue[] {
  const values: EnumValue[] = [];
  for (const raw of splitEnumText(text)) {
    const part = raw.trim();
    if (part === "") continue;
    if (part.startsWith('"')) {
      try {
        const v = JSON.parse(part) as unknown;
        if (typeof v === "string") {
          values.push(v);
          continue;
        }
      } catch {
        // Not a complete JSON string: keep the text as typed.
      }
      values.push(part);
    } else if (part === "true" || part === "false" || part === "null") {
      values.push(JSON.parse(part) as EnumValue);
    } else if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(part)) {
      values.push(Number(part));
    } else {
      values.push(part);
    }
  }
  return values;
}

/** Splits on commas outside double quotes. */
function splitEnumText(text: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\\" && quoted) {
      current += c + (text[i + 1] ?? "");
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === "," && !quoted) {
      parts.push(current);
      current = "";
    } else current += c;
  }
  parts.push(current);
  return parts;
}

export function formatEnumText(values: readonly EnumValue[]): string {
  return values
    .map((v) => {
      if (typeof v !== "string") return String(v);
      const plain = parseEnumText(v);
      return plain.length === 1 && plain[0] === v ? v : JSON.stringify(v);
    })
    .join(", ");
}
