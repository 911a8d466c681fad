/**
 * JSON Schema support shared by the server and the browser (contract 8.1, 8.7 step 3).
 *
 * One Ajv instance (draft-07, the keywords heedy's gojsonschema effectively applies) with
 * ajv-formats. Compiled validators are cached per schema, keyed by the schema's canonical JSON,
 * so identical schemas sent as fresh objects on every request compile once.
 *
 * User schemas run on the one event loop every request shares, so nothing here may take more than
 * linear time in the value: patterns run on RE2 (safe-regex.ts), `uniqueItems` hashes instead of
 * comparing every pair, and schemas over the limits of schema-limits.ts are never compiled.
 */
import { Ajv, type ErrorObject, type SchemaValidateFunction, type ValidateFunction } from "ajv";
import formatsModule from "ajv-formats";
import { isSupportedRegex, safeRegExp } from "./safe-regex.js";
import {
  checkSchemaLimits,
  deeperThan,
  KNOWN_DRAFTS,
  SCHEMA_LIMITS,
  SchemaLimitError,
} from "./schema-limits.js";

/** ajv-formats is CommonJS: its default export is the plugin under Node, `.default` elsewhere. */
type FormatsPlugin = (ajv: Ajv) => Ajv;
const addFormats: FormatsPlugin =
  (formatsModule as unknown as { default?: FormatsPlugin }).default ??
  (formatsModule as unknown as FormatsPlugin);

export { MAX_PATTERN_PROGRAM, UnsupportedPatternError } from "./safe-regex.js";
export {
  canonicalJson,
  type DataProblem,
  isEmptySchema,
  type SchemaProblem,
} from "./schema-basics.js";
export {
  checkSchemaLimits,
  JSON_BODY_MAX_DEPTH,
  SCHEMA_LIMITS,
  SchemaLimitError,
  type SchemaLimitProblem,
} from "./schema-limits.js";

import { canonicalJson, type DataProblem, isEmptySchema, type SchemaProblem } from "./schema-basics.js";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * An Ajv for user schemas: draft-07, formats, RE2 patterns, linear `uniqueItems`. Exported as a
 * factory for the server's app settings, which need their own instance for their own messages.
 */
export function createUserSchemaAjv(options: { allErrors?: boolean } = {}): Ajv {
  const instance = new Ajv({
    // User schemas may carry keywords Ajv does not know (heedy's library ignores them).
    strict: false,
    allErrors: options.allErrors ?? false,
    // Schemas are cached here, not registered by $id: two objects may use the same $id.
    addUsedSchema: false,
    validateFormats: true,
    code: { regExp: safeRegExp },
  });
  addFormats(instance);
  // ajv-formats checks `regex` with the backtracking RegExp; a regex is what our engine can run.
  instance.addFormat("regex", isSupportedRegex);
  // ajv compares every pair of items unless their type is a known scalar: 20k objects took 14 s.
  instance.removeKeyword("uniqueItems");
  instance.addKeyword({
    keyword: "uniqueItems",
    type: "array",
    schemaType: "boolean",
    validate: uniqueItems,
  });
  return instance;
}

/**
 * `uniqueItems` in linear time: JSON Schema equality of JSON values is equality of their canonical
 * JSON (key order ignored, 1.0 equals 1), so a hash set finds the first duplicate.
 */
const uniqueItems: SchemaValidateFunction = (schema: unknown, data: unknown) => {
  if (schema !== true || !Array.isArray(data)) return true;
  const seen = new Map<string, number>();
  for (let i = 0; i < data.length; i++) {
    const key = canonicalJson(data[i]);
    const j = seen.get(key);
    if (j !== undefined) {
      uniqueItems.errors = [
        {
          keyword: "uniqueItems",
          message: `must NOT have duplicate items (items ## ${i} and ${j} are identical)`,
          params: { i, j },
        },
      ];
      return false;
    }
    seen.set(key, i);
  }
  return true;
};

const ajv = createUserSchemaAjv();

function normaliseDraft(schema: unknown): unknown {
  if (typeof schema === "object" && schema !== null && !Array.isArray(schema)) {
    const s = schema as Record<string, unknown>;
    if (typeof s.$schema === "string" && KNOWN_DRAFTS.test(s.$schema)) {
      const { $schema: _ignored, ...rest } = s;
      return rest;
    }
  }
  return schema;
}

const CACHE_LIMIT = 256;
interface CacheEntry {
  validate: ValidateFunction;
  compiled: unknown;
}
const cache = new Map<string, CacheEntry>();

/**
 * Returns the validator of `schema`, compiling it on first use. Throws the Ajv compile error for a
 * schema that is not usable (e.g. an unresolvable `$ref`).
 */
export function compileSchema(schema: unknown): ValidateFunction {
  // canonicalJson recurses, and a stored schema may predate the limits: rule out deep ones first.
  if (deeperThan(schema, SCHEMA_LIMITS.maxDepth)) throw new SchemaLimitError(checkSchemaLimits(schema)!);
  const key = canonicalJson(schema);
  const hit = cache.get(key);
  if (hit) {
    // Refresh recency: Map iteration order is insertion order.
    cache.delete(key);
    cache.set(key, hit);
    return hit.validate;
  }
  // Limits are checked once per distinct schema, before ajv sees it (ajv itself is the costly part).
  const problem = checkSchemaLimits(schema);
  if (problem) throw new SchemaLimitError(problem);
  const compiled = structuredCloneJson(normaliseDraft(schema));
  const validate = ajv.compile(compiled as Record<string, unknown> | boolean);
  cache.set(key, { validate, compiled });
  if (cache.size > CACHE_LIMIT) {
    const [oldestKey, oldest] = cache.entries().next().value as [string, CacheEntry];
    cache.delete(oldestKey);
    // Ajv keeps its own cache keyed by schema object; drop ours from it so memory stays bounded.
    if (typeof oldest.compiled === "object" && oldest.compiled !== null) {
      ajv.removeSchema(oldest.compiled as Record<string, unknown>);
    }
  }
  return validate;
}

/** A private deep copy, so later mutation of the caller's object cannot change a cached validator. */
function structuredCloneJson(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/** Number of compiled validators currently cached (for tests). */
export function compiledSchemaCount(): number {
  return cache.size;
}

/**
 * Whether `d` satisfies `schema` (contract 8.7 step 3). `{}` accepts everything without compiling.
 * Integers are recognised by value, so `3.0` (which JSON.parse yields as 3) is an integer, as in heedy.
 */
export function validateDatapointData(schema: unknown, d: unknown): boolean {
  if (isEmptySchema(schema)) return true;
  return compileSchema(schema)(d) === true;
}

function describeError(e: ErrorObject): SchemaProblem {
  let message = e.message ?? "is invalid";
  if (e.keyword === "enum" && Array.isArray((e.params as { allowedValues?: unknown }).allowedValues)) {
    message += `: ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
  } else if (e.keyword === "additionalProperties") {
    message += `: ${JSON.stringify((e.params as { additionalProperty?: string }).additionalProperty)}`;
  }
  return { path: e.instancePath, message };
}

/**
 * Checks that `schema` is a valid JSON Schema against the draft-07 meta-schema (contract 8.1:
 * `"lol"` is refused; booleans pass the meta-schema, the caller decides whether it accepts them),
 * and that Ajv can compile it. Returns null when valid, else the first problem found.
 */
export function checkJsonSchema(schema: unknown): SchemaProblem | null {
  const limit = checkSchemaLimits(schema);
  if (limit) return { ...limit, limit: true };
  const normalised = normaliseDraft(schema);
  const valid = ajv.validateSchema(normalised as Record<string, unknown> | boolean);
  if (!valid) {
    const first = ajv.errors?.[0];
    return first ? describeError(first) : { path: "", message: "is not a valid JSON Schema" };
  }
  try {
    compileSchema(schema);
  } catch (e) {
    return { path: "", message: (e as Error).message };
  }
  return null;
}

/** Human-readable form of a problem, e.g. `schema/properties/x/type: must be equal to one of ...`. */
export function formatSchemaProblem(problem: SchemaProblem, root = "schema"): string {
  return `${root}${problem.path}: ${problem.message}`;
}

/**
 * The first problem of each value against `schema`, or null for a valid value: the verdicts of
 * `validateDatapointData` with the reasons, for forms that show an error at its field.
 */
export function dataProblems(schema: unknown, values: readonly unknown[]): (DataProblem | null)[] {
  if (isEmptySchema(schema)) return values.map(() => null);
  const validate = compileSchema(schema);
  return values.map((v) => {
    if (validate(v) === true) return null;
    const e = validate.errors?.[0];
    return e
      ? { path: e.instancePath, message: describeError(e).message, keyword: e.keyword }
      : { path: "", message: "is invalid", keyword: "" };
  });
}

/**
 * Forms report every problem of one value at once; the server only needs a verdict, so this second
 * Ajv (allErrors) and its small cache exist only where a form asks, i.e. in the schema worker.
 */
let ajvAll: Ajv | undefined;
const allCache = new Map<string, ValidateFunction>();
const ALL_CACHE_LIMIT = 16;

/** Every problem of `d` against `schema` (empty when valid), in ajv's order. */
export function allDataProblems(schema: unknown, d: unknown): DataProblem[] {
  if (isEmptySchema(schema)) return [];
  // Same limits and compile errors as the server's validator: compile that one first.
  compileSchema(schema);
  const key = canonicalJson(schema);
  let validate = allCache.get(key);
  if (!validate) {
    ajvAll ??= createUserSchemaAjv({ allErrors: true });
    validate = ajvAll.compile(
      structuredCloneJson(normaliseDraft(schema)) as Record<string, unknown> | boolean,
    );
    allCache.set(key, validate);
    if (allCache.size > ALL_CACHE_LIMIT) allCache.delete(allCache.keys().next().value as string);
  }
  if (validate(d) === true) return [];
  return (validate.errors ?? []).map((e) => ({
    path: e.instancePath,
    message: describeError(e).message,
    keyword: e.keyword,
  }));
}
