/**
 * What a timeseries write means (contract 8.7, 8.8): the insert pipeline shared by
 * `POST /api/objects/:id/timeseries` and object creation with `data` (6.2), and deletes.
 */
import {
  checkColumnOrder,
  DatapointError,
  ERR_METHOD,
  ERR_SCHEMA,
  normaliseDatapointColumns,
  type PointColumns,
} from "../../core/datapoint.js";
import type { TimeseriesEventData } from "../../core/events.js";
import { compileSchema, isEmptySchema } from "../../core/schema.js";
import type { EventSink } from "../events/event-of.js";
import { timeseriesEvent } from "../events/event-of.js";
import { HttpError, notFound } from "../http/errors.js";
import { StreamedInsert } from "../http/insert-body.js";
import { LoopSlicer } from "../loop-slicer.js";
import { ConstraintError, type ObjectRecord, type Store } from "../store/index.js";
import type { InsertMethod, TimeseriesSelection } from "../store/timeseries.js";

/** Maps core errors (whose message is heedy's internal string) to HTTP errors. */
export function datapointErrorToHttp(e: unknown, status = 400): never {
  if (e instanceof HttpError) throw e;
  if (e instanceof DatapointError) throw new HttpError(status, e.message);
  throw e;
}

/** The object's data schema (8.1); heedy's plugin fails with 500 when it is not an object. */
export function dataSchema(obj: ObjectRecord): Record<string, unknown> {
  const schema = obj.meta.schema;
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
    throw new HttpError(500, "internal_plugin_error: Timeseries schema invalid");
  }
  return schema as Record<string, unknown>;
}

export interface InsertOptions {
  /** The `method` query value; empty means `update`. */
  method: string | undefined;
  /** False skips the schema check (the route allows it only for the plugin key, decision 3). */
  validate: boolean;
  /** Told `timeseries_data_write` once the points are stored. */
  events?: EventSink;
}

/** A checked batch ready for the store: normalised, valid against the schema, ordered. */
interface PreparedInsert {
  points: PointColumns;
  method: InsertMethod;
}

/**
 * Steps 1-4 of an insert (contract 8.7) over the whole batch before anything is written, so one bad
 * point rejects the batch unwritten.
 */
async function checkInsert(obj: ObjectRecord, body: unknown, opts: InsertOptions): Promise<PreparedInsert> {
  const schema = dataSchema(obj);
  let points: PointColumns;
  if (body instanceof StreamedInsert) {
    // Normalised while it streamed in; its first bad element is reported now, as here below.
    if (body.error) datapointErrorToHttp(body.error);
    points = body.columns!;
  } else {
    try {
      points = normaliseDatapointColumns(body);
    } catch (e) {
      datapointErrorToHttp(e);
    }
  }
  // Step 3: every point, before anything else is judged; one failure rejects the batch.
  if (opts.validate && !isEmptySchema(schema)) {
    let ok: boolean;
    try {
      // One cached validator for the whole batch (the cache key costs a schema stringify).
      const validate = compileSchema(schema);
      ok = true;
      // A million points take ~100 ms to validate: other requests get the loop in between.
      const slicer = new LoopSlicer();
      for (let i = 0; ok && i < points.n; i++) {
        ok = validate(points.d[i]) === true;
        if ((i & 1023) === 1023) await slicer.maybeYield();
      }
    } catch (e) {
      // A schema Ajv cannot compile (e.g. an unresolvable $ref) validates nothing.
      throw new HttpError(400, `bad_query: ${(e as Error).message}`);
    }
    if (!ok) throw new HttpError(400, ERR_SCHEMA);
  }
  const method = opts.method === undefined || opts.method === "" ? "update" : opts.method;
  if (method !== "update" && method !== "insert" && method !== "append") throw new HttpError(400, ERR_METHOD);
  try {
    if (points.n > 0) checkColumnOrder(points);
  } catch (e) {
    datapointErrorToHttp(e);
  }
  return { points, method };
}

/** A foreign-key failure of a write, as either database or the store reports it. */
function objectGone(e: unknown): boolean {
  if (e instanceof ConstraintError) return e.constraint === "foreign_key";
  const code = (e as { code?: unknown } | null)?.code;
  return code === "SQLITE_CONSTRAINT_FOREIGNKEY" || code === "23503";
}

/** Validates, orders and writes one insert (contract 8.7), then sets `last_modified`. */
export async function insertDatapoints(
  store: Store,
  obj: ObjectRecord,
  body: unknown,
  opts: InsertOptions,
): Promise<void> {
  const { points, method } = await checkInsert(obj, body, opts);
  if (points.n === 0) return;
  // A big batch is encoded before the transaction, yielding the loop, so the transaction (which
  // on SQLite holds every other request's statements back) only writes ready rows (decision 12).
  const prepared = (await store.timeseries.prepareInsert?.(obj.id, points, method)) ?? null;
  // The data and its last_modified land together, or neither does: one write of the store.
  try {
    await store.timeseries.insert(obj.id, points, method, prepared, new Date());
  } catch (e) {
    // The object was checked when the request arrived; deleted while its body was read, its
    // series row can no longer be made: the answer a missing object gets (contract 6.3).
    if (objectGone(e)) throw notFound(403);
    datapointErrorToHttp(e);
  }
  opts.events?.publish(timeseriesEvent("timeseries_data_write", obj, writeEventData(points, points.n)));
}

/**
 * The `timeseries.replace` extension: removes `selection` and inserts `body` in one transaction, so
 * an edited point (new time, duration or value) is never lost halfway, nor doubled. The insert is
 * checked exactly as `insertDatapoints` checks it, before anything is removed.
 */
export async function replaceDatapoints(
  store: Store,
  obj: ObjectRecord,
  selection: TimeseriesSelection,
  body: unknown,
  opts: InsertOptions,
): Promise<{ removed: number; written: number }> {
  const { points, method } = await checkInsert(obj, body, opts);
  const result = await store.transaction(async (tx) => {
    let r: { removed: number; written: number };
    try {
      r = await tx.timeseries.replace(obj.id, selection, points, method);
    } catch (e) {
      if (objectGone(e)) throw notFound(403);
      datapointErrorToHttp(e);
    }
    // heedy leaves last_modified alone on deletes; a replace that wrote nothing is a delete.
    if (r.written > 0) await tx.objects.touch(obj.id, new Date());
    return r;
  });
  // Told as what happened, after the commit: the removal as DELETE tells it, then the write as
  // POST tells it, so a listener refetches both spans (the old point's and the new one's).
  if (result.removed > 0) {
    opts.events?.publish(timeseriesEvent("timeseries_data_delete", obj, deleteEventData(selection)));
  }
  if (result.written > 0) {
    opts.events?.publish(
      timeseriesEvent("timeseries_data_write", obj, writeEventData(points, result.written)),
    );
  }
  return result;
}

/** A write event's span: from the first new point to the end of the last one's duration. */
function writeEventData(points: PointColumns, count: number): TimeseriesEventData {
  return {
    t1: points.t[0],
    t2: (points.t[points.n - 1] ?? 0) + (points.dt[points.n - 1] ?? 0),
    count,
  };
}

/** A delete event's span: the selection's times; an index selection has none. */
function deleteEventData(selection: TimeseriesSelection): TimeseriesEventData {
  const data: TimeseriesEventData = {};
  if (selection.t1 !== undefined) data.t1 = selection.t1;
  if (selection.t2 !== undefined) data.t2 = selection.t2;
  if (selection.t !== undefined) data.t1 = data.t2 = selection.t;
  return data;
}

/**
 * Object creation's `data` (6.2): an update insert. Creation has no `validate` parameter, so the
 * data is always validated. Other object types carry no data and ignore it.
 */
export async function writeInitialData(
  store: Store,
  obj: ObjectRecord,
  data: unknown[],
  events?: EventSink,
): Promise<void> {
  if (obj.type !== "timeseries") return;
  await insertDatapoints(store, obj, data, { method: "update", validate: true, events });
}

/** Removes the selected points (8.8). heedy leaves `last_modified` alone on deletes. */
export async function deleteDatapoints(
  store: Store,
  obj: ObjectRecord,
  selection: TimeseriesSelection,
  events?: EventSink,
): Promise<void> {
  await store.timeseries.remove(obj.id, selection);
  events?.publish(timeseriesEvent("timeseries_data_delete", obj, deleteEventData(selection)));
}
