/**
 * Limits that keep a user's JSON Schema cheap to compile and to run, on the server (one event loop
 * for every user) and in the browser worker alike. A schema over a limit is refused when it is
 * saved, and never compiled.
 *
 * The defaults, and why:
 * - 64 KB: hand-written schemas are a few KB; 64 KB still fits a 1,000-value enum of long labels.
 *   Every keyword's cost is at most linear in the schema's size, so this caps the work per value.
 * - depth 32 (JSON nesting): about 15 levels of nested objects (`properties` adds two levels each);
 *   real schemas use under 10. Keeps ajv's recursive compile and our walks far from the stack limit.
 * - 1,000 enum values: a drop-down's worth; ajv compiles an enum to one comparison per value.
 * - 25,000 expanded subschemas: `$ref`s are counted as if inlined, so a chain of definitions that
 *   each reference the next twice (2^n work from a 2 KB schema, which took the server down) is
 *   refused; a ref-free schema under 64 KB stays well below it.
 * The JSON body depth (64) sits above the schema depth plus the `{"meta":{"schema":…}}` wrapping,
 * and leaves a datapoint's `d` 62 levels.
 */
import { patternProblem } from "./safe-regex.js";

export const SCHEMA_LIMITS = {
  maxBytes: 64 * 1024,
  maxDepth: 32,
  maxEnumValues: 1000,
  maxExpandedSubschemas: 25_000,
} as const;

/** Deepest JSON nesting a request body may have (the arrays and objects of a datapoint batch count). */
export const JSON_BODY_MAX_DEPTH = 64;

/** `$schema` values we accept: heedy's gojsonschema reads drafts 4, 6 and 7, all with draft-07 keywords. */
export const KNOWN_DRAFTS = /^https?:\/\/json-schema\.org\/draft-0[4-7]\/schema#?$/;
export const SUPPORTED_DRAFTS_TEXT =
  "only JSON Schema draft-07 is supported (draft-04 and draft-06 are read as draft-07)";

/** A limit a schema breaks; `path` is the JSON pointer inside the schema. */
export interface SchemaLimitProblem {
  path: string;
  message: string;
}

class LimitExceeded extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** True when `value` nests arrays/objects deeper than `max` (iterative: safe on any depth). */
export function deeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(v)) {
      if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** UTF-8 length of a string, without TextEncoder's copy. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const pointerPart = (s: string) => s.replaceAll("~", "~0").replaceAll("/", "~1");

/** Draft-07 keywords whose values are subschemas; `descends` when they apply to a child of the value. */
const SINGLE = new Map<string, boolean>([
  ["additionalProperties", true],
  ["additionalItems", true],
  ["contains", true],
  ["propertyNames", true],
  ["not", false],
  ["if", false],
  ["then", false],
  ["else", false],
]);
const MAP = new Map<string, boolean>([
  ["properties", true],
  ["patternProperties", true],
  ["dependencies", false],
]);
const LIST = new Map<string, boolean>([
  ["allOf", false],
  ["anyOf", false],
  ["oneOf", false],
]);

interface Child {
  schema: unknown;
  path: string;
  descends: boolean;
}

/** The subschemas of one schema node that validation applies (not `definitions`: reached via `$ref`). */
function children(node: Json, path: string): Child[] {
  const out: Child[] = [];
  for (const [k, v] of Object.entries(node)) {
    const p = `${path}/${pointerPart(k)}`;
    const single = SINGLE.get(k);
    const map = MAP.get(k);
    const list = LIST.get(k);
    if (single !== undefined) out.push({ schema: v, path: p, descends: single });
    else if (map !== undefined && isObject(v)) {
      for (const [name, s] of Object.entries(v)) {
        // dependencies: an array of names is not a schema.
        if (!Array.isArray(s)) out.push({ schema: s, path: `${p}/${pointerPart(name)}`, descends: map });
      }
    } else if (list !== undefined && Array.isArray(v)) {
      v.forEach((s, i) => {
        out.push({ schema: s, path: `${p}/${i}`, descends: list });
      });
    } else if (k === "items") {
      if (Array.isArray(v)) {
        v.forEach((s, i) => {
          out.push({ schema: s, path: `${p}/${i}`, descends: true });
        });
      } else out.push({ schema: v, path: p, descends: true });
    }
  }
  return out;
}

/** Every schema node, including `definitions`, with its pointer: where keyword limits are checked. */
function eachSchemaNode(root: unknown, visit: (node: Json, path: string) => void): void {
  const stack: [unknown, string][] = [[root, ""]];
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    if (!isObject(node)) continue;
    visit(node, path);
    for (const c of children(node, path)) stack.push([c.schema, c.path]);
    if (isObject(node.definitions)) {
      for (const [name, s] of Object.entries(node.definitions)) {
        stack.push([s, `${path}/definitions/${pointerPart(name)}`]);
      }
    }
  }
}

function checkNode(node: Json, path: string, root: string): void {
  const at = path === "" ? "" : ` at ${path}`;
  if (Array.isArray(node.enum) && node.enum.length > SCHEMA_LIMITS.maxEnumValues) {
    throw new LimitExceeded(
      `${path}/enum`,
      `${root} enum${at} has ${node.enum.length} values; at most ${SCHEMA_LIMITS.maxEnumValues} are allowed`,
    );
  }
  const patterns: [string, string][] = [];
  if (typeof node.pattern === "string") patterns.push([node.pattern, `${path}/pattern`]);
  if (isObject(node.patternProperties)) {
    for (const k of Object.keys(node.patternProperties)) {
      patterns.push([k, `${path}/patternProperties/${pointerPart(k)}`]);
    }
  }
  for (const [pattern, p] of patterns) {
    const problem = patternProblem(pattern);
    if (problem !== undefined) {
      // "pattern "(a)\\1" is not supported: …" → "schema pattern "(a)\\1" at /x is not supported: …"
      const quoted = JSON.stringify(pattern);
      throw new LimitExceeded(p, `${root} ${problem.replace(quoted, `${quoted}${at}`)}`);
    }
  }
  if (typeof node.$ref === "string" && node.$ref !== "#" && !node.$ref.startsWith("#/")) {
    throw new LimitExceeded(
      `${path}/$ref`,
      `${root} $ref ${JSON.stringify(node.$ref)}${at} is not supported: only references inside the schema (#/...) are`,
    );
  }
  if (path !== "" && typeof node.$id === "string") {
    // A nested $id moves the base that "#/..." resolves against; refusing it keeps refs unambiguous.
    throw new LimitExceeded(
      `${path}/$id`,
      `${root} $id${at} is not supported: only the root schema may have an $id`,
    );
  }
}

/** Resolves a "#/a/b" pointer inside `root`, or undefined. */
function resolvePointer(root: unknown, ref: string): unknown {
  if (ref === "#") return root;
  let node: unknown = root;
  for (const raw of ref.slice(2).split("/")) {
    let part: string;
    try {
      part = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
    } catch {
      return undefined;
    }
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, part)) return undefined;
    node = (node as Json)[part];
  }
  return node;
}

/**
 * Counts subschemas as validation would visit them with every `$ref` inlined, down to the deepest
 * value a body can carry; memoised per (node, depth left), so counting itself stays polynomial.
 * A `$ref` cycle that never moves into the value would recurse forever and is refused.
 */
function checkExpansion(rootSchema: unknown, root: string): void {
  const budget = SCHEMA_LIMITS.maxExpandedSubschemas;
  const memo = new Map<object, Map<number, number>>();
  const active = new Map<object, Set<number>>();
  const count = (node: unknown, path: string, left: number): number => {
    if (left < 0 || !isObject(node)) return 1;
    const known = memo.get(node)?.get(left);
    if (known !== undefined) return known;
    const onStack = active.get(node) ?? new Set<number>();
    if (onStack.has(left)) {
      throw new LimitExceeded(
        path,
        `${root} $ref cycle at ${path || "/"} is not supported: it refers back to itself without moving into the value`,
      );
    }
    onStack.add(left);
    active.set(node, onStack);
    let total = 1;
    for (const c of children(node, path)) {
      total += count(c.schema, c.path, c.descends ? left - 1 : left);
      if (total > budget) break;
    }
    if (total <= budget && typeof node.$ref === "string") {
      const target = resolvePointer(rootSchema, node.$ref);
      // An unresolvable ref is ajv's to report.
      if (target !== undefined) total += count(target, node.$ref.slice(1), left);
    }
    onStack.delete(left);
    if (total > budget) {
      throw new LimitExceeded(
        path,
        `${root} is too complex: with its $refs expanded it has over ${budget} subschemas`,
      );
    }
    const byDepth = memo.get(node) ?? new Map<number, number>();
    byDepth.set(left, total);
    memo.set(node, byDepth);
    return total;
  };
  count(rootSchema, "", JSON_BODY_MAX_DEPTH);
}

/**
 * The first limit `schema` breaks, or null. `root` names the schema in messages ("schema",
 * "settings_schema"). Cheap checks run first, so a hostile schema is refused before any costly one.
 */
export function checkSchemaLimits(schema: unknown, root = "schema"): SchemaLimitProblem | null {
  try {
    if (deeperThan(schema, SCHEMA_LIMITS.maxDepth)) {
      throw new LimitExceeded(
        "",
        `${root} is nested more than ${SCHEMA_LIMITS.maxDepth} levels deep; at most ${SCHEMA_LIMITS.maxDepth} are allowed`,
      );
    }
    const bytes = utf8Length(JSON.stringify(schema) ?? "");
    if (bytes > SCHEMA_LIMITS.maxBytes) {
      throw new LimitExceeded("", `${root} is ${bytes} bytes; at most ${SCHEMA_LIMITS.maxBytes} are allowed`);
    }
    if (isObject(schema) && typeof schema.$schema === "string" && !KNOWN_DRAFTS.test(schema.$schema)) {
      throw new LimitExceeded(
        "/$schema",
        `${root} $schema ${JSON.stringify(schema.$schema)} is not supported: ${SUPPORTED_DRAFTS_TEXT}`,
      );
    }
    eachSchemaNode(schema, (node, path) => checkNode(node, path, root));
    checkExpansion(schema, root);
    return null;
  } catch (e) {
    if (e instanceof LimitExceeded) return { path: e.path, message: e.message };
    throw e;
  }
}

/** A schema refused by a limit: thrown by compileSchema so no caller compiles one. */
export class SchemaLimitError extends Error {
  constructor(readonly problem: SchemaLimitProblem) {
    super(problem.message);
    this.name = "SchemaLimitError";
  }
}
