/**
 * The schema checks themselves, with the server's own ajv code (core/schema.ts). The schema worker
 * runs them; without workers (unit tests) schema-checks.ts loads this module on demand, so ajv
 * stays out of the page's bundle either way.
 */
import { allDataProblems, checkJsonSchema, dataProblems } from "../../../core/schema";
import type { SchemaWorkerRequest, SchemaWorkerResponse } from "./schema-worker-protocol";

export function answerSchemaRequest(req: SchemaWorkerRequest): SchemaWorkerResponse {
  try {
    switch (req.kind) {
      case "schema":
        return { ok: true, problem: checkJsonSchema(req.schema) };
      case "data":
        return { ok: true, problems: dataProblems(req.schema, req.values) };
      case "all":
        return { ok: true, all: allDataProblems(req.schema, req.value) };
    }
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}
