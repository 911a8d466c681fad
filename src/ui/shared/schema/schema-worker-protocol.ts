import type { DataProblem, SchemaProblem } from "../../../core/schema-basics";

/** Messages between the page and the schema worker. */
export type SchemaWorkerRequest =
  | { id: number; kind: "schema"; schema: unknown }
  | { id: number; kind: "data"; schema: unknown; values: unknown[] };

export type SchemaWorkerResponse =
  | { id: number; ok: true; problem: SchemaProblem | null }
  | { id: number; ok: true; problems: (DataProblem | null)[] }
  | { id: number; ok: false; message: string };
