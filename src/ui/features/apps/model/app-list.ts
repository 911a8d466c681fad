/** Pure helpers of the apps pages: object counts, dates, and a settings form from a JSON Schema. */

/** Objects per app id; objects of no app count under `""`. */
export function countByApp(objects: readonly { app: string | null }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of objects) {
    const key = o.app ?? "";
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

/** "3 objects", "1 object", "no objects". */
export function objectsWord(n: number): string {
  if (n === 0) return "no objects";
  return n === 1 ? "1 object" : `${n.toLocaleString("en")} objects`;
}

export type SettingKind = "string" | "number" | "integer" | "boolean" | "enum";

export interface SettingField {
  name: string;
  kind: SettingKind;
  title: string;
  description: string;
  options: string[];
  required: boolean;
}

/**
 * The flat fields of an app's `settings_schema` the generated form can show. A schema with nested
 * objects or arrays gets the JSON editor instead (`null`).
 */
export function settingsFields(schema: Record<string, unknown>): SettingField[] | null {
  const properties = schema.properties;
  if (typeof properties !== "object" || properties === null) return null;
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const fields: SettingField[] = [];
  for (const [name, raw] of Object.entries(properties as Record<string, unknown>)) {
    if (typeof raw !== "object" || raw === null) return null;
    const prop = raw as Record<string, unknown>;
    const title = typeof prop.title === "string" ? prop.title : name;
    const description = typeof prop.description === "string" ? prop.description : "";
    let kind: SettingKind;
    let options: string[] = [];
    if (Array.isArray(prop.enum) && prop.enum.every((v) => typeof v === "string")) {
      kind = "enum";
      options = prop.enum as string[];
    } else if (
      prop.type === "string" ||
      prop.type === "number" ||
      prop.type === "integer" ||
      prop.type === "boolean"
    ) {
      kind = prop.type;
    } else {
      return null;
    }
    fields.push({ name, kind, title, description, options, required: required.has(name) });
  }
  return fields;
}

/** Reads a settings form's text inputs back into typed values; an empty number is left out. */
export function settingValue(field: SettingField, text: string | boolean): unknown {
  if (field.kind === "boolean") return text === true;
  const s = String(text);
  if (field.kind === "number" || field.kind === "integer") {
    if (s.trim() === "") return undefined;
    const n = Number(s);
    return Number.isFinite(n) ? n : s;
  }
  return s;
}
