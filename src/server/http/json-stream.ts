import { Readable } from "node:stream";
import type { FastifyReply } from "fastify";
import { TransformRuntimeError } from "../../core/datapoint.js";
import { LoopSlicer } from "../loop-slicer.js";
import { HttpError } from "./errors.js";

/**
 * Sends a JSON body produced as byte pieces. The first piece is produced before the status is
 * chosen, so a transform failing early is a 500 (contract 8.6); a short answer goes out in one
 * piece, a long one streams with backpressure, so the server holds a few pieces at a time
 * whatever the length.
 */
export async function sendJsonPieces(
  reply: FastifyReply,
  pieces: AsyncGenerator<Buffer>,
  highWaterMark: number,
): Promise<FastifyReply> {
  let head: IteratorResult<Buffer>;
  let next: IteratorResult<Buffer>;
  try {
    head = await pieces.next();
    next = head.done ? head : await pieces.next();
  } catch (e) {
    if (e instanceof TransformRuntimeError) throw new HttpError(500, e.message);
    throw e;
  }
  reply.type("application/json; charset=utf-8");
  if (next.done) return reply.send(head.done ? "[]" : head.value);
  const rest = pieces;
  const body = Readable.from(
    (async function* () {
      yield head.value as Buffer;
      yield next.value as Buffer;
      // Over loopback every socket write may succeed at once, so backpressure never pauses the
      // read and a 10M-point answer would run as one unbroken chain of microtasks (1.4 s
      // measured); other requests get the loop every few ms.
      const slicer = new LoopSlicer();
      for await (const piece of rest) {
        yield piece;
        await slicer.maybeYield();
      }
    })(),
    { objectMode: false, highWaterMark },
  );
  return reply.send(body);
}
