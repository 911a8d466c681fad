/// <reference lib="webworker" />
/**
 * Runs the server's own ajv code (core/schema.ts) for the page. Ajv compiles schemas with
 * `new Function`; the page's CSP forbids that, while the server sends this one script a policy
 * that allows it. The worker has no DOM and no access to the page's storage.
 */
import { answerSchemaRequest } from "../shared/schema/schema-worker-host";
import type { SchemaWorkerRequest } from "../shared/schema/schema-worker-protocol";
import { serveRpc } from "../shared/worker-rpc";

serveRpc<SchemaWorkerRequest, ReturnType<typeof answerSchemaRequest>>(
  self as unknown as DedicatedWorkerGlobalScope,
  answerSchemaRequest,
);
