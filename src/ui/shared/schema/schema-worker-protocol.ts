import type { DataProblem, SchemaProblem } from "../../../core/schema-basics";

/** What the page asks the schema worker (inside shared/worker-rpc's envelope). */
export type SchemaWorkerRequest =
  | { kind: "schema"; schema: unknown }
  | { kind: "data"; schema: unknown; values: unknown[] }
  | { kind: "all"; schema: unknown; value: unknown };

/** Its answer; `ok: false` when ajv itself threw (the worker is fine). */
export type SchemaWorkerResponse =
  | { ok: true; problem: SchemaProblem | null }
  | { ok: true; problems: (DataProblem | null)[] }
  | { ok: true; all: DataProblem[] }
  | { ok: false; message: string };
