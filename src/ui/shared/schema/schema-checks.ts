/**
 * Schema checks for the page, with the server's own ajv code (core/schema.ts), so the browser
 * reaches the same verdicts as the server. They run in a worker (see workers/schema.worker.ts for
 * why), hence the promises. Where there are no workers (unit tests under jsdom) they run inline.
 */
import { type DataProblem, isEmptySchema, type SchemaProblem } from "../../../core/schema-basics";
import type { SchemaWorkerRequest, SchemaWorkerResponse } from "./schema-worker-protocol";

export type { DataProblem, SchemaProblem };

type Pending = { resolve: (r: SchemaWorkerResponse) => void; reject: (e: Error) => void };

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, Pending>();

function failAll(message: string) {
  for (const p of pending.values()) p.reject(new Error(message));
  pending.clear();
  worker = undefined;
}

function getWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL("../../workers/schema.worker.ts", import.meta.url), { type: "module" });
  w.onmessage = (event: MessageEvent<SchemaWorkerResponse>) => {
    const p = pending.get(event.data.id);
    if (!p) return;
    pending.delete(event.data.id);
    p.resolve(event.data);
  };
  w.onerror = (event) => {
    event.preventDefault();
    failAll(`The schema checker stopped: ${event.message || "it could not be loaded"}`);
    w.terminate();
  };
  worker = w;
  return w;
}

type Request = SchemaWorkerRequest extends infer R ? (R extends unknown ? Omit<R, "id"> : never) : never;

/** Without workers (unit tests), the same core code runs here; loaded on demand so ajv stays out of the page. */
async function askInline(req: Request): Promise<SchemaWorkerResponse> {
  const { checkJsonSchema, dataProblems } = await import("../../../core/schema");
  try {
    return req.kind === "schema"
      ? { id: 0, ok: true, problem: checkJsonSchema(req.schema) }
      : { id: 0, ok: true, problems: dataProblems(req.schema, req.values) };
  } catch (e) {
    return { id: 0, ok: false, message: (e as Error).message };
  }
}

function ask(req: Request): Promise<SchemaWorkerResponse> {
  if (typeof Worker === "undefined") return askInline(req);
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    getWorker().postMessage({ ...req, id } as SchemaWorkerRequest);
  });
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
