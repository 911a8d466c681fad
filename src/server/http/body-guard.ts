import { Transform } from "node:stream";
import type { FastifyReply, FastifyRequest, RequestPayload } from "fastify";
import { accessAllows } from "../../core/scopes.js";
import type { ServerContext } from "../context.js";
import { readableObject } from "../object-access.js";
import type { ObjectRecord } from "../store/index.js";
import { HttpError } from "./errors.js";

/** Whether a request announces a body (a length above 0, or chunked). */
export function hasBody(req: FastifyRequest): boolean {
  const length = req.headers["content-length"];
  return (length !== undefined && length !== "0") || req.headers["transfer-encoding"] !== undefined;
}

/**
 * preParsing: a sender that goes quiet for `idleMs` while its body is being read gets a 408 and
 * loses the connection, instead of holding a request open for as long as it likes.
 */
export function bodyIdleTimeout(idleMs: number) {
  return async (req: FastifyRequest, _reply: FastifyReply, payload: RequestPayload) => {
    if (!hasBody(req)) return payload;
    const timer = setTimeout(() => {
      // Only the guard fails: destroying the request itself would drop the socket before the
      // 408 is written.
      payload.unpipe(guarded);
      guarded.destroy(
        new HttpError(408, `request_timeout: No part of the request body arrived for ${idleMs} ms`),
      );
    }, idleMs);
    const guarded = new Transform({
      transform(chunk, _encoding, done) {
        timer.refresh();
        done(null, chunk);
      },
    });
    guarded.on("close", () => clearTimeout(timer));
    payload.on("error", (err) => guarded.destroy(err));
    payload.pipe(guarded);
    return guarded;
  };
}

const insufficient = () => new HttpError(403, "access_denied: Insufficient permissions");

/** The object an insert's preParsing read, for its handler. */
const readBeforeBody = new WeakMap<FastifyRequest, ObjectRecord>();

/**
 * The object insertAccessCheck read for this request, if it ran. The handler checks it again
 * without reading it twice: like the credentials (authenticated in onRequest, also before the
 * body), the object is the one the request found when it arrived.
 */
export function objectReadBeforeBody(req: FastifyRequest): ObjectRecord | undefined {
  return readBeforeBody.get(req);
}

/**
 * preParsing of a timeseries insert: the object read (6.3) and the write check (8.7) run before
 * the body is read, so a caller without write access is refused at once instead of after
 * uploading and parsing up to `insert_body_bytes`. The handler repeats these checks on the same
 * record (objectReadBeforeBody) and answers the same way.
 */
export function insertAccessCheck(ctx: ServerContext) {
  return async (req: FastifyRequest, _reply: FastifyReply, payload: RequestPayload) => {
    const { id } = req.params as { id: string };
    const { obj, access } = await readableObject(ctx, req.actor, id);
    if (obj.type !== "timeseries") {
      throw new HttpError(404, "not_found: The given endpoint is not available");
    }
    if (!accessAllows(access, "write")) throw insufficient();
    readBeforeBody.set(req, obj);
    return payload;
  };
}
