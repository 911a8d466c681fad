/**
 * "Schema from data": proposes a JSON Schema from sample values (the last N points of a series
 * created without one). Types per value, integer when every number is whole, minimum and maximum
 * for numbers, an enum for strings with few distinct values, object properties with the fields
 * every object has marked required, and a union of types where values disagree. The user edits
 * the proposal before saving, and the save runs the usual check against the stored data.
 */
import type { JsonSchema } from "../../../../core/resources";

export interface InferOptions {
  /** Strings become an enum when they take at most this many distinct values… */
  maxEnum?: number;
  /** …and repeat (distinct values at most this share of the samples). */
  enumShare?: number;
}

type Kind = "null" | "boolean" | "integer" | "number" | "string" | "array" | "object";

function kindOf(v: unknown): Kind {
  if (v === null || v === undefined) return "null";
  if (typeof v === "boolean") return "boolean";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  if (typeof v === "string") return "string";
  if (Array.isArray(v)) return "array";
  return "object";
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function forKind(kind: Kind, values: unknown[], o: Required<InferOptions>): JsonSchema {
  switch (kind) {
    case "null":
      return { type: "null" };
    case "boolean":
      return { type: "boolean" };
    case "integer":
    case "number": {
      const nums = values as number[];
      let min = nums[0]!;
      let max = min;
      for (const n of nums) {
        if (n < min) min = n;
        if (n > max) max = n;
      }
      return { type: kind, minimum: min, maximum: max };
    }
    case "string": {
      const distinct = [...new Set(values as string[])].sort();
      if (distinct.length <= o.maxEnum && distinct.length <= Math.max(1, values.length * o.enumShare)) {
        return { type: "string", enum: distinct };
      }
      return { type: "string" };
    }
    case "array":
      return { type: "array", items: inferSchema((values as unknown[][]).flat(), o) };
    case "object": {
      const objects = values as Record<string, unknown>[];
      const keys = [...new Set(objects.flatMap((v) => Object.keys(v)))].sort();
      const properties: Record<string, JsonSchema> = {};
      const required: string[] = [];
      for (const k of keys) {
        const present = objects.filter((v) => k in v).map((v) => v[k]);
        properties[k] = inferSchema(present, o);
        if (present.length === objects.length) required.push(k);
      }
      return required.length > 0 ? { type: "object", properties, required } : { type: "object", properties };
    }
  }
}

export function inferSchema(values: readonly unknown[], options: InferOptions = {}): JsonSchema {
  const o: Required<InferOptions> = { maxEnum: options.maxEnum ?? 12, enumShare: options.enumShare ?? 0.5 };
  if (values.length === 0) return {};
  const groups = new Map<Kind, unknown[]>();
  for (const v of values) {
    let k = kindOf(v);
    if (isRecord(v)) k = "object";
    const list = groups.get(k) ?? [];
    list.push(v);
    groups.set(k, list);
  }
  // Whole and fractional numbers are one kind: number.
  const ints = groups.get("integer");
  const floats = groups.get("number");
  if (ints && floats) {
    groups.set("number", [...floats, ...ints]);
    groups.delete("integer");
  }
  const schemas = [...groups].map(([k, vs]) => forKind(k, vs, o));
  if (schemas.length === 1) return schemas[0]!;
  // Simple kinds merge into a type list; structured ones need anyOf.
  const simple = schemas.every((s) => Object.keys(s).length === 1);
  if (simple) return { type: schemas.map((s) => s.type as string).sort() };
  return { anyOf: schemas };
}
