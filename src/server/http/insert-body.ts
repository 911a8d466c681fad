/**
 * The body parser of timeseries inserts. A body up to STREAM_INSERT_BYTES is read whole and
 * decoded by parseJsonBody, exactly as every other body (so every error text stays the same). A
 * larger JSON array is parsed as its bytes arrive (JsonArrayStream) straight into columns
 * (DatapointColumnBuilder), yielding the event loop between slabs: a 1M-point body never holds
 * the loop for one 500 ms JSON.parse, nor lives as a million objects at once.
 */
import { errorCodes, type FastifyRequest, type RequestPayload } from "fastify";
import { DatapointColumnBuilder, DatapointError, type PointColumns } from "../../core/datapoint.js";
import { JSON_BODY_MAX_DEPTH } from "../../core/schema-limits.js";
import { LoopSlicer } from "../loop-slicer.js";
import {
  loneSurrogateError,
  loneSurrogatePath,
  mayHoldLoneSurrogate,
  nonFiniteError,
  nonFinitePath,
  parseJsonBody,
  scanJson,
  tooDeepError,
} from "./body.js";
import { HttpError } from "./errors.js";
import { JsonArrayStream, JsonArrayStreamError } from "./json-array-stream.js";

/** Bodies larger than this are streamed; smaller ones take the whole-body path. */
export const STREAM_INSERT_BYTES = 1_000_000;
/** Bytes of element text per native JSON.parse: ~5-10 ms each on this machine. */
const SLAB_BYTES = 128 * 1024;

/**
 * A streamed insert body, already normalised to columns; or the normalisation error of its first
 * bad element, kept until the whole body was read so that a JSON error later in the body wins, as
 * it does on the whole-body path (the body is parsed before its points are judged).
 */
export class StreamedInsert {
  constructor(
    readonly columns: PointColumns | null,
    readonly error: DatapointError | null,
  ) {}
}

function firstByte(chunks: readonly Buffer[]): number | undefined {
  for (const c of chunks) {
    for (const b of c) if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return b;
  }
  return undefined;
}

/** Columns of a streamed array, one slab at a time, with parseJsonBody's refusals. */
function columnSink() {
  const builder = new DatapointColumnBuilder(64 * 1024);
  let error: DatapointError | null = null;
  let seen = 0;
  const stream = new JsonArrayStream({
    slabBytes: SLAB_BYTES,
    // The stream's depth counts from inside the array, parseJsonBody's from the array itself.
    maxDepth: JSON_BODY_MAX_DEPTH - 1,
    onElements(elements, text) {
      const base = seen;
      seen += elements.length;
      if (scanJson(text, Number.POSITIVE_INFINITY).bigNumber) {
        for (let i = 0; i < elements.length; i++) {
          const path = nonFinitePath(elements[i]);
          if (path !== undefined) throw nonFiniteError(`body[${base + i}]${path}`);
        }
      }
      if (mayHoldLoneSurrogate(text)) {
        for (let i = 0; i < elements.length; i++) {
          const path = loneSurrogatePath(elements[i]);
          if (path !== undefined) throw loneSurrogateError(`body[${base + i}]${path}`);
        }
      }
      if (error !== null) return;
      try {
        builder.add(elements);
      } catch (e) {
        if (!(e instanceof DatapointError)) throw e;
        error = e;
      }
    },
  });
  const wrap = (f: () => void) => {
    try {
      f();
    } catch (e) {
      if (e instanceof JsonArrayStreamError) {
        throw e.reason === "depth" ? tooDeepError() : new HttpError(400, `invalid JSON: ${e.message}`);
      }
      throw e;
    }
  };
  return {
    write: (chunk: Buffer) => wrap(() => stream.write(chunk)),
    end: (): StreamedInsert => {
      wrap(() => stream.end());
      return error !== null ? new StreamedInsert(null, error) : new StreamedInsert(builder.finish(), null);
    },
  };
}

/**
 * Reads an insert body (fastify content-type parser over the raw payload): the body limit and
 * content-length checks of fastify's own reader, then the whole-body or the streamed path.
 */
export async function readInsertBody(
  req: FastifyRequest,
  payload: RequestPayload,
  streamAbove = STREAM_INSERT_BYTES,
): Promise<unknown> {
  const limit = req.routeOptions.bodyLimit ?? Number.POSITIVE_INFINITY;
  const contentLength = Number(req.headers["content-length"]);
  if (contentLength > limit) throw new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE();
  const slicer = new LoopSlicer();
  let received = 0;
  let held: Buffer[] = [];
  let sink: ReturnType<typeof columnSink> | null = null;
  try {
    for await (const raw of payload) {
      const chunk = typeof raw === "string" ? Buffer.from(raw) : (raw as Buffer);
      received += chunk.length;
      if (received > limit) throw new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE();
      if (sink) {
        sink.write(chunk);
        await slicer.maybeYield();
        continue;
      }
      // Copied: a chunk may be a view of the socket's read buffer.
      held.push(Buffer.from(chunk));
      // Only an array is streamed; any other large body keeps the whole-body path and its errors.
      if (received > streamAbove && firstByte(held) === 0x5b) {
        sink = columnSink();
        const pending = held;
        held = [];
        for (const c of pending) {
          sink.write(c);
          await slicer.maybeYield();
        }
      }
    }
  } catch (e) {
    // As fastify's reader: a failing stream is the client's problem unless it says otherwise.
    const err = e as Error & { statusCode?: number };
    if (!(err instanceof HttpError) && !(typeof err.statusCode === "number" && err.statusCode >= 400)) {
      err.statusCode = 400;
    }
    throw err;
  }
  if (!Number.isNaN(contentLength) && received !== contentLength) {
    throw new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH();
  }
  if (sink) return sink.end();
  const text = Buffer.concat(held, received).toString("utf8");
  return text.trim() === "" ? undefined : parseJsonBody(text);
}
