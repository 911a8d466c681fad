/**
 * Timeseries sub-API (contract section 8) plus our plot extension (decision 6):
 *   GET/POST/DELETE /api/objects/:id/timeseries   (alias /data)
 *   GET /api/objects/:id/timeseries/length
 *   GET /api/objects/:id/timeseries/plot
 */
import { Readable } from "node:stream";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  checkColumnOrder,
  createTransform,
  DatapointError,
  ERR_METHOD,
  ERR_SCHEMA,
  normaliseDatapointColumns,
  type Point,
  type PointColumns,
  parseTransform,
  type TransformName,
  TransformRuntimeError,
} from "../../core/datapoint.js";
import type { PlotResult } from "../../core/resources.js";
import { compileSchema, isEmptySchema } from "../../core/schema.js";
import { accessAllows } from "../../core/scopes.js";
import { parseTime } from "../../core/time.js";
import type { ServerContext } from "../context.js";
import { todayUTC } from "../dates.js";
import { HttpError } from "../http/errors.js";
import { decodeQuery, rawQuery } from "../http/query.js";
import { readableObject } from "../object-access.js";
import type { ObjectRecord } from "../store/index.js";
import type { InsertMethod, PointBatch, TimeseriesSelection } from "../store/timeseries.js";
import { JsonPieceWriter } from "./timeseries-json.js";

/** Timeseries inserts have no size limit in heedy (1.6); this only guards V8's string limit. */
const INSERT_BODY_LIMIT = 512 * 1024 * 1024;
/** Size of the JSON pieces a read streams out. */
const PIECE = 64 * 1024;
const PLOT_MAX_COLUMNS = 20_000;
const PLOT_DEFAULT_COLUMNS = 1000;

const READ_QUERY = {
  t: "string",
  t1: "string",
  t2: "string",
  i: "int",
  i1: "int",
  i2: "int",
  limit: "int",
  transform: "string",
  actions: "bool",
  timeseries: "string",
} as const;
const DELETE_QUERY = {
  t: "string",
  t1: "string",
  t2: "string",
  i: "int",
  i1: "int",
  i2: "int",
  limit: "int",
  transform: "string",
  actions: "bool",
} as const;
const INSERT_QUERY = { method: "string", validate: "bool", actions: "bool" } as const;
const PLOT_QUERY = { t1: "string", t2: "string", i1: "int", i2: "int", columns: "int" } as const;

const insufficient = () => new HttpError(403, "access_denied: Insufficient permissions");

/** Maps core errors (whose message is heedy's internal string) to HTTP errors. */
function asHttp(e: unknown, status = 400): never {
  if (e instanceof HttpError) throw e;
  if (e instanceof DatapointError) throw new HttpError(status, e.message);
  throw e;
}

/** A time value of 8.4; an empty value counts as absent. Errors keep heedy's message (400). */
function time(value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  try {
    return parseTime(value);
  } catch (e) {
    throw new HttpError(400, (e as Error).message);
  }
}

/** The object's data schema (8.1); heedy's plugin fails with 500 when it is not an object. */
function dataSchema(obj: ObjectRecord): Record<string, unknown> {
  const schema = obj.meta.schema;
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
    throw new HttpError(500, "internal_plugin_error: Timeseries schema invalid");
  }
  return schema as Record<string, unknown>;
}

/**
 * Validates, orders and writes one insert (contract 8.7), then sets `last_modified`. Shared by the
 * POST route and by object creation with `data` (6.2).
 */
async function insertDatapoints(
  ctx: ServerContext,
  obj: ObjectRecord,
  body: unknown,
  opts: { method: string | undefined; validate: boolean },
): Promise<void> {
  const schema = dataSchema(obj);
  let points: PointColumns;
  try {
    points = normaliseDatapointColumns(body);
  } catch (e) {
    asHttp(e);
  }
  // Step 3: every point, before anything else is judged; one failure rejects the batch.
  if (opts.validate && !isEmptySchema(schema)) {
    let ok: boolean;
    try {
      // One cached validator for the whole batch (the cache key costs a schema stringify).
      const validate = compileSchema(schema);
      ok = true;
      for (let i = 0; ok && i < points.n; i++) ok = validate(points.d[i]) === true;
    } catch (e) {
      // A schema Ajv cannot compile (e.g. an unresolvable $ref) validates nothing.
      throw new HttpError(400, `bad_query: ${(e as Error).message}`);
    }
    if (!ok) throw new HttpError(400, ERR_SCHEMA);
  }
  const method = opts.method === undefined || opts.method === "" ? "update" : opts.method;
  if (method !== "update" && method !== "insert" && method !== "append") throw new HttpError(400, ERR_METHOD);
  if (points.n === 0) return;
  try {
    checkColumnOrder(points);
    await ctx.store.timeseries.insert(obj.id, points, method as InsertMethod);
  } catch (e) {
    asHttp(e);
  }
  await ctx.store.objects.touch(obj.id, todayUTC());
}

/** Object creation's `data` (6.2): an update insert with the creator's rights. */
export async function writeInitialData(
  ctx: ServerContext,
  obj: ObjectRecord,
  access: ReadonlySet<string>,
  data: unknown[],
): Promise<void> {
  if (obj.type !== "timeseries") return;
  if (!accessAllows(access, "write")) throw insufficient();
  // Creation has no `validate` parameter, so the data is always validated.
  await insertDatapoints(ctx, obj, data, { method: "update", validate: true });
}

// ---- reading -------------------------------------------------------------------------------------

function* batchPoints(b: PointBatch): Generator<Point> {
  for (let i = 0; i < b.n; i++) yield { t: b.t[i]!, dt: b.dt ? b.dt[i]! : 0, d: b.d[i] };
}

function limitBatch(b: PointBatch, n: number): PointBatch {
  const dec = (x: PointBatch["tDecimal"]) => (x ? { p: x.p, k: x.k.subarray(0, n) } : null);
  return {
    n,
    t: b.t.subarray(0, n),
    dt: b.dt ? b.dt.subarray(0, n) : null,
    d: b.d instanceof Float64Array ? b.d.subarray(0, n) : b.d.slice(0, n),
    tDecimal: dec(b.tDecimal),
    dDecimal: dec(b.dDecimal),
  };
}

/** The JSON array of a read as byte pieces of about PIECE bytes (8.3, 8.6; limit after transform). */
async function* readJson(
  batches: AsyncIterable<PointBatch>,
  transform: TransformName | undefined,
  limit: number,
): AsyncGenerator<Buffer> {
  const w = new JsonPieceWriter(PIECE);
  w.byte(91);
  let first = true;
  let left = limit > 0 ? limit : Number.POSITIVE_INFINITY;
  if (transform === undefined) {
    for await (const b of batches) {
      const take = b.n <= left ? b : limitBatch(b, left);
      w.batch(take, first);
      first = false;
      left -= take.n;
      yield* w.take();
      if (left <= 0) break;
    }
  } else {
    const tr = createTransform(transform);
    const out: Point[] = [];
    const flush = () => {
      for (const p of out) {
        if (left <= 0) break;
        w.point(p, first);
        first = false;
        left--;
      }
      out.length = 0;
    };
    for await (const b of batches) {
      for (const p of batchPoints(b)) tr.step(p, out);
      flush();
      yield* w.take();
      if (left <= 0) break;
    }
    if (left > 0) {
      tr.end(out);
      flush();
    }
  }
  w.byte(93);
  w.flush();
  yield* w.take();
}

/**
 * Sends a read. The first piece is produced before the status is chosen, so a transform failing
 * early is a 500 (contract 8.6); a short answer goes out in one piece, a long one streams with
 * backpressure, so the server holds a few pieces at a time whatever the length.
 */
async function sendJsonStream(reply: FastifyReply, pieces: AsyncGenerator<Buffer>): Promise<FastifyReply> {
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
      yield* rest;
    })(),
    { objectMode: false, highWaterMark: PIECE },
  );
  return reply.send(body);
}

// ---- routes --------------------------------------------------------------------------------------

export async function timeseriesRoutes(app: FastifyInstance, { ctx }: { ctx: ServerContext }) {
  /** The pre-dispatch object read (6.3) plus the type check: only timeseries have this API. */
  async function target(req: FastifyRequest<{ Params: { id: string } }>) {
    const { obj, access } = await readableObject(ctx, req.actor, req.params.id);
    if (obj.type !== "timeseries") {
      throw new HttpError(404, "not_found: The given endpoint is not available");
    }
    dataSchema(obj);
    return { obj, access };
  }

  for (const base of ["/api/objects/:id/timeseries", "/api/objects/:id/data"]) {
    app.get<{ Params: { id: string } }>(base, async (req, reply) => {
      const { obj, access } = await target(req);
      if (!accessAllows(access, "read")) throw insufficient();
      const q = decodeQuery(rawQuery(req.url), READ_QUERY);
      if (q.timeseries !== undefined) {
        throw new HttpError(400, "timeseries arg is set automatically when querying objects");
      }
      // 8.3: t1/t2 are parsed before the combination checks.
      const t1 = time(q.t1);
      const t2 = time(q.t2);
      const hasT = q.t !== undefined && q.t !== "";
      if (hasT) {
        if (q.i !== undefined || q.i2 !== undefined || (q.i1 !== undefined && q.i1 !== 0)) {
          throw new HttpError(
            400,
            "bad_query: cannot query by single index and single timestamp at the same time",
          );
        }
        if (t1 !== undefined || t2 !== undefined) {
          throw new HttpError(
            400,
            "bad_query: Cannot query by range and by single timestamp at the same time",
          );
        }
      }
      if (
        q.i !== undefined &&
        (t1 !== undefined || t2 !== undefined || q.i1 !== undefined || q.i2 !== undefined)
      ) {
        throw new HttpError(400, "bad_query: Cannot query by range and by single index at the same time");
      }
      let transform: TransformName | undefined;
      try {
        transform = parseTransform(q.transform ?? "");
      } catch (e) {
        asHttp(e);
      }
      const sel: TimeseriesSelection = hasT ? { t: time(q.t) } : { t1, t2, i: q.i, i1: q.i1, i2: q.i2 };
      const batches = ctx.store.timeseries.read(obj.id, sel);
      return sendJsonStream(reply, readJson(batches, transform, q.limit ?? 0));
    });

    app.post<{ Params: { id: string } }>(base, { bodyLimit: INSERT_BODY_LIMIT }, async (req) => {
      const { obj, access } = await target(req);
      if (!accessAllows(access, "write")) throw insufficient();
      const q = decodeQuery(rawQuery(req.url), INSERT_QUERY);
      // Decision 3 (12.17): only the plugin key may skip validation.
      const validate = !(q.validate === false && req.viaPluginKey);
      await insertDatapoints(ctx, obj, req.body, { method: q.method, validate });
      return { result: "ok" };
    });

    app.delete<{ Params: { id: string } }>(base, async (req) => {
      const { obj, access } = await target(req);
      if (!accessAllows(access, "write")) throw insufficient();
      const q = decodeQuery(rawQuery(req.url), DELETE_QUERY);
      const given = (v: unknown) => v !== undefined && v !== "";
      const hasT = given(q.t);
      if (
        !hasT &&
        !given(q.t1) &&
        !given(q.t2) &&
        q.i === undefined &&
        q.i1 === undefined &&
        q.i2 === undefined
      ) {
        throw new HttpError(400, "bad_query: no index or time range specified");
      }
      if (given(q.transform) || q.limit !== undefined) {
        throw new HttpError(400, "bad_query: transforms and limits are not supported for delete");
      }
      const t1 = time(q.t1);
      const t2 = time(q.t2);
      if (
        hasT &&
        (t1 !== undefined ||
          t2 !== undefined ||
          q.i !== undefined ||
          q.i1 !== undefined ||
          q.i2 !== undefined)
      ) {
        throw new HttpError(400, "bad_query: cannot delete by single timestamp with additional range/index");
      }
      if (
        q.i !== undefined &&
        (t1 !== undefined || t2 !== undefined || q.i1 !== undefined || q.i2 !== undefined)
      ) {
        throw new HttpError(400, "bad_query: cannot delete by single index with additional range");
      }
      const sel: TimeseriesSelection = hasT ? { t: time(q.t) } : { t1, t2, i: q.i, i1: q.i1, i2: q.i2 };
      await ctx.store.timeseries.remove(obj.id, sel);
      return { result: "ok" };
    });

    app.get<{ Params: { id: string } }>(`${base}/length`, async (req, reply) => {
      const { obj, access } = await target(req);
      if (!accessAllows(access, "read")) throw insufficient();
      // 8.5: a bare JSON integer; no query parameters are decoded.
      const n = await ctx.store.timeseries.length(obj.id);
      return reply.type("application/json; charset=utf-8").send(String(n));
    });

    app.get<{ Params: { id: string } }>(`${base}/plot`, async (req): Promise<PlotResult> => {
      const { obj, access } = await target(req);
      if (!accessAllows(access, "read")) throw insufficient();
      const q = decodeQuery(rawQuery(req.url), PLOT_QUERY);
      const columns = q.columns ?? PLOT_DEFAULT_COLUMNS;
      if (columns < 1 || columns > PLOT_MAX_COLUMNS) {
        throw new HttpError(400, `bad_query: columns must be between 1 and ${PLOT_MAX_COLUMNS}`);
      }
      const sel: TimeseriesSelection = { t1: time(q.t1), t2: time(q.t2), i1: q.i1, i2: q.i2 };
      return ctx.store.timeseries.plot(obj.id, sel, columns);
    });
  }
}
