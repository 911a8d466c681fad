/**
 * Which series share a y axis in Explore: series with the same unit share one; without a unit,
 * series whose value schemas agree (type and bounds) share one; a series with neither gets its
 * own. At most `maxAxes` axes are drawn (one each side, then a third); the smallest remaining
 * groups are normalised to 0–1 on a hidden shared scale, so nothing is dropped.
 */
import type { JsonSchema } from "../../../../core/resources";

export interface AxisInput {
  key: string;
  /** The value schema (the object's schema, or a field's). */
  schema: JsonSchema | undefined;
}

export interface AxisGroup {
  id: string;
  label: string;
  keys: string[];
}

export interface AxisPlan {
  axes: AxisGroup[];
  /** Keys drawn normalised on the hidden 0–1 scale. */
  normalised: string[];
}

export const MAX_AXES = 3;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The unit a schema names (`unit`, `x-unit`, or heedy's `description`-free convention of none). */
export function unitOf(schema: JsonSchema | undefined): string | null {
  if (!isRecord(schema)) return null;
  for (const k of ["unit", "x-unit", "units"]) {
    const v = schema[k];
    if (typeof v === "string" && v.trim() !== "") return v.trim();
  }
  return null;
}

/** The schema of one field of object values, when the schema describes it. */
export function fieldSchema(schema: JsonSchema | undefined, field: string): JsonSchema | undefined {
  if (!isRecord(schema) || !isRecord(schema.properties)) return undefined;
  const f = schema.properties[field];
  return isRecord(f) ? (f as JsonSchema) : undefined;
}

function groupKey(input: AxisInput): { key: string; label: string } {
  const unit = unitOf(input.schema);
  if (unit) return { key: `unit:${unit}`, label: unit };
  const s = input.schema;
  if (isRecord(s) && (s.type !== undefined || s.minimum !== undefined || s.maximum !== undefined)) {
    const sig = JSON.stringify([s.type ?? null, s.minimum ?? null, s.maximum ?? null]);
    const bounds =
      s.minimum !== undefined || s.maximum !== undefined ? ` ${s.minimum ?? "…"}–${s.maximum ?? "…"}` : "";
    return { key: `schema:${sig}`, label: `${String(s.type ?? "value")}${bounds}` };
  }
  return { key: `own:${input.key}`, label: "" };
}

export function planAxes(inputs: readonly AxisInput[], maxAxes = MAX_AXES): AxisPlan {
  const groups: (AxisGroup & { order: number })[] = [];
  const byKey = new Map<string, AxisGroup & { order: number }>();
  for (const input of inputs) {
    const g = groupKey(input);
    let group = byKey.get(g.key);
    if (!group) {
      group = { id: "", label: g.label, keys: [], order: groups.length };
      byKey.set(g.key, group);
      groups.push(group);
    }
    group.keys.push(input.key);
  }
  // Keep the biggest groups on real axes (ties: first added), in the order they were added.
  const kept = [...groups]
    .sort((a, b) => b.keys.length - a.keys.length || a.order - b.order)
    .slice(0, maxAxes)
    .sort((a, b) => a.order - b.order);
  const keptSet = new Set(kept);
  return {
    axes: kept.map((g, i) => ({ id: `y${i}`, label: g.label, keys: g.keys })),
    normalised: groups.filter((g) => !keptSet.has(g)).flatMap((g) => g.keys),
  };
}
