/**
 * Timeseries sub-API (contract section 8) plus our plot extension (decision 6):
 *   GET/POST/DELETE /api/objects/:id/timeseries   (alias /data)
 *   GET /api/objects/:id/timeseries/length
 *   GET /api/objects/:id/timeseries/plot              (with `aggregate=<seconds>`: windowed aggregate)
 *   POST /api/objects/:id/timeseries/replace   (extension timeseries.replace)
 */
import type { FastifyInstance, FastifyRequest, RequestPayload } from "fastify";
import type { AggregateResult } from "../../core/aggregate.js";
import type { PlotResult } from "../../core/resources.js";
import { accessAllows } from "../../core/scopes.js";
import type { ServerContext } from "../context.js";
import { objectReadBeforeBody } from "../http/body-guard.js";
import { HttpError } from "../http/errors.js";
import { readInsertBody } from "../http/insert-body.js";
import { sendJsonPieces } from "../http/json-stream.js";
import { decodeQuery, rawQuery } from "../http/query.js";
import { readableAs, readableObject } from "../object-access.js";
import {
  aggregateTimeseries,
  plotTimeseries,
  READ_PIECE_BYTES,
  readTimeseriesJson,
  readTransform,
  timeseriesLength,
} from "../services/timeseries-read.js";
import { deleteSelection, plotSelection, readSelection } from "../services/timeseries-selection.js";
import {
  dataSchema,
  deleteDatapoints,
  insertDatapoints,
  replaceDatapoints,
} from "../services/timeseries-write.js";
import type { ObjectRecord } from "../store/index.js";

/** Timeseries inserts have no size limit in heedy (1.6); this only guards V8's string limit. */
const INSERT_BODY_LIMIT = 512 * 1024 * 1024;

const SELECTION_QUERY = {
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
const READ_QUERY = { ...SELECTION_QUERY, timeseries: "string" } as const;
const INSERT_QUERY = { method: "string", validate: "bool", actions: "bool" } as const;
const REPLACE_QUERY = {
  t: "string",
  t1: "string",
  t2: "string",
  i: "int",
  i1: "int",
  i2: "int",
  method: "string",
  validate: "bool",
} as const;
const PLOT_QUERY = {
  t1: "string",
  t2: "string",
  i1: "int",
  i2: "int",
  columns: "int",
  aggregate: "string",
  origin: "string",
  counts: "bool",
  summary: "bool",
} as const;

const insufficient = () => new HttpError(403, "access_denied: Insufficient permissions");

type ObjectRequest = FastifyRequest<{ Params: { id: string } }>;

export async function timeseriesRoutes(app: FastifyInstance, { ctx }: { ctx: ServerContext }) {
  /**
   * The pre-dispatch object read (6.3), the type check (only timeseries have this API) and the
   * scope the request needs.
   */
  async function target(req: ObjectRequest, needs: "read" | "write", known?: ObjectRecord) {
    const { obj, access } = known
      ? readableAs(req.actor, known)
      : await readableObject(ctx, req.actor, req.params.id);
    if (obj.type !== "timeseries") {
      throw new HttpError(404, "not_found: The given endpoint is not available");
    }
    dataSchema(obj);
    if (!accessAllows(access, needs)) throw insufficient();
    return obj;
  }

  // Inserts get their own body parser (a big array is streamed into columns), so they live in a
  // context of their own; every other route keeps the app's parsers.
  await app.register(async (inserts) => {
    inserts.removeAllContentTypeParsers();
    inserts.addContentTypeParser("*", (req: FastifyRequest, payload: RequestPayload) =>
      readInsertBody(req, payload),
    );
    for (const base of ["/api/objects/:id/timeseries", "/api/objects/:id/data"]) {
      inserts.post<{ Params: { id: string } }>(base, { bodyLimit: INSERT_BODY_LIMIT }, async (req) => {
        // The record preParsing read before the body (body-guard.ts), not a second read.
        const obj = await target(req, "write", objectReadBeforeBody(req));
        const q = decodeQuery(rawQuery(req.url), INSERT_QUERY);
        // Decision 3 (12.17): only the plugin key may skip validation.
        const validate = !(q.validate === false && req.viaPluginKey);
        await insertDatapoints(ctx.store, obj, req.body, { method: q.method, validate, events: ctx.events });
        return { result: "ok" };
      });
    }
  });

  for (const base of ["/api/objects/:id/timeseries", "/api/objects/:id/data"]) {
    app.get<{ Params: { id: string } }>(base, async (req, reply) => {
      const obj = await target(req, "read");
      const q = decodeQuery(rawQuery(req.url), READ_QUERY);
      if (q.timeseries !== undefined) {
        throw new HttpError(400, "timeseries arg is set automatically when querying objects");
      }
      const selection = readSelection(q);
      const transform = readTransform(q.transform);
      const pieces = readTimeseriesJson(ctx.store, obj, selection, { transform, limit: q.limit ?? 0 });
      return sendJsonPieces(reply, pieces, READ_PIECE_BYTES);
    });

    app.delete<{ Params: { id: string } }>(base, async (req) => {
      const obj = await target(req, "write");
      const q = decodeQuery(rawQuery(req.url), SELECTION_QUERY);
      await deleteDatapoints(ctx.store, obj, deleteSelection(q), ctx.events);
      return { result: "ok" };
    });

    // The point editor's one atomic change: remove the selection (as DELETE reads it) and insert
    // the body (as POST reads it) in one transaction. Answers how many points went and came.
    app.post<{ Params: { id: string } }>(`${base}/replace`, { bodyLimit: INSERT_BODY_LIMIT }, async (req) => {
      const obj = await target(req, "write");
      const q = decodeQuery(rawQuery(req.url), REPLACE_QUERY);
      const selection = deleteSelection(q);
      const validate = !(q.validate === false && req.viaPluginKey);
      const { removed, written } = await replaceDatapoints(ctx.store, obj, selection, req.body, {
        method: q.method,
        validate,
        events: ctx.events,
      });
      return { result: "ok", removed, written };
    });

    app.get<{ Params: { id: string } }>(`${base}/length`, async (req, reply) => {
      const obj = await target(req, "read");
      // 8.5: a bare JSON integer; no query parameters are decoded.
      const n = await timeseriesLength(ctx.store, obj);
      return reply.type("application/json; charset=utf-8").send(String(n));
    });

    app.get<{ Params: { id: string } }>(
      `${base}/plot`,
      async (req): Promise<PlotResult | AggregateResult> => {
        const obj = await target(req, "read");
        const q = decodeQuery(rawQuery(req.url), PLOT_QUERY);
        if (q.aggregate !== undefined) {
          return aggregateTimeseries(ctx.store, obj, plotSelection(q), q.aggregate, q.origin);
        }
        return plotTimeseries(
          ctx.store,
          obj,
          plotSelection(q),
          q.columns,
          q.counts ?? false,
          q.summary ?? false,
        );
      },
    );
  }
}
