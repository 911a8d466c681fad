/**
 * Schema checks for the page, with the server's own ajv code (core/schema.ts), so the browser
 * reaches the same verdicts as the server. They run in a worker (see workers/schema.worker.ts for
 * why), hence the promises. Where there are no workers (unit tests under jsdom) they run inline.
 */
import { type DataProblem, isEmptySchema, type SchemaProblem } from "../../../core/schema-basics";
import { lazyWorkerRpc } from "../worker-rpc";
import type { SchemaWorkerRequest, SchemaWorkerResponse } from "./schema-worker-protocol";

export type { DataProblem, SchemaProblem };

const schemaWorker = lazyWorkerRpc<SchemaWorkerRequest, SchemaWorkerResponse>(
  () => new Worker(new URL("../../workers/schema.worker.ts", import.meta.url), { type: "module" }),
  "The schema checker",
);

/**
 * Without workers (unit tests) the same code runs here. A checker that failed to load rejects the
 * checks under way; the next check starts a fresh worker.
 */
async function ask(req: SchemaWorkerRequest): Promise<SchemaWorkerResponse> {
  if (typeof Worker === "undefined") {
    const { answerSchemaRequest } = await import("./schema-worker-host");
    return answerSchemaRequest(req);
  }
  return schemaWorker().call(req);
}

/**
 * Starts the checker and has it compile a schema once, so ajv is loaded while the page is open:
 * validation then keeps working if the connection drops (the object page calls this on open).
 */
export function preloadSchemaChecker(): void {
  if (typeof Worker === "undefined") return;
  void ask({ kind: "schema", schema: { type: "number" } }).catch(() => undefined);
}

/** Is `schema` a valid JSON Schema (draft-07 meta-schema, and compilable)? Null when it is. */
export async function checkSchema(schema: unknown): Promise<SchemaProblem | null> {
  const res = await ask({ kind: "schema", schema });
  if (!res.ok) return { path: "", message: res.message };
  return "problem" in res ? res.problem : null;
}

/**
 * The first problem of each value against `schema` (null when valid). A schema that cannot be
 * compiled makes every value fail with the compile error, as the server would refuse them.
 */
export async function checkData(
  schema: unknown,
  values: readonly unknown[],
): Promise<(DataProblem | null)[]> {
  if (isEmptySchema(schema)) return values.map(() => null);
  const res = await ask({ kind: "data", schema, values: [...values] });
  if (!res.ok) return values.map(() => ({ path: "", message: res.message, keyword: "schema" }));
  return "problems" in res ? res.problems : values.map(() => null);
}

/** Every problem of one value against `schema` (empty when valid), for forms that show them all. */
export async function checkDataAll(schema: unknown, value: unknown): Promise<DataProblem[]> {
  if (isEmptySchema(schema)) return [];
  const res = await ask({ kind: "all", schema, value });
  if (!res.ok) return [{ path: "", message: res.message, keyword: "schema" }];
  return "all" in res ? res.all : [];
}
