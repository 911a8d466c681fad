/**
 * The ajv-free part of the schema support: what the page needs without loading ajv (the validation
 * itself runs in a worker, see src/ui/workers/schema.worker.ts).
 */

/** JSON with object keys sorted at every level: equal schemas give equal keys. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** True for `{}`, the schema that disables validation (contract 8.1). */
export function isEmptySchema(schema: unknown): boolean {
  return (
    typeof schema === "object" &&
    schema !== null &&
    !Array.isArray(schema) &&
    Object.keys(schema as object).length === 0
  );
}

/** One problem found in a JSON Schema, with the JSON path (RFC 6901 pointer) inside the schema. */
export interface SchemaProblem {
  /** JSON pointer inside the checked schema, `""` for the root. */
  path: string;
  message: string;
  /**
   * Set when a safety limit refused the schema (size, depth, enum length, an unsupported pattern or
   * draft): `message` is then a whole sentence that names the schema, e.g. `schema enum has ...`.
   */
  limit?: true;
}

/** Why one value fails a schema: the JSON pointer inside the value, and Ajv's message. */
export interface DataProblem {
  /** JSON pointer inside the value, `""` for the value itself. */
  path: string;
  message: string;
  keyword: string;
}
