/// <reference lib="webworker" />
/**
 * Runs the server's own ajv code (core/schema.ts) for the page. Ajv compiles schemas with
 * `new Function`; the page's CSP forbids that, while the server sends this one script a policy
 * that allows it. The worker has no DOM and no access to the page's storage.
 */
import { checkJsonSchema, dataProblems } from "../../core/schema";
import type { SchemaWorkerRequest, SchemaWorkerResponse } from "../shared/schema/schema-worker-protocol";

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (event: MessageEvent<SchemaWorkerRequest>) => {
  const req = event.data;
  let res: SchemaWorkerResponse;
  try {
    res =
      req.kind === "schema"
        ? { id: req.id, ok: true, problem: checkJsonSchema(req.schema) }
        : { id: req.id, ok: true, problems: dataProblems(req.schema, req.values) };
  } catch (e) {
    res = { id: req.id, ok: false, message: (e as Error).message };
  }
  scope.postMessage(res);
};
