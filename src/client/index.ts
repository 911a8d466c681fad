/**
 * heedy-explorer's client library: the TypeScript counterpart of heedy's Python client. It runs in
 * browsers and Node alike (global fetch only) and talks to this project's server and to heedy 0.6.
 *
 *     import { App } from "heedy-explorer/client";
 *     const app = new App("<access token>", "http://localhost:1324");
 *     const ts = await app.objects.create("My Timeseries", { tags: "mytimeseries" });
 *     await ts.append(5);
 */

export {
  AGGREGATE_EXTENSION,
  type AggregateFn,
  type AggregateResult,
  statValue,
  type WindowStats,
} from "../core/aggregate.js";
export type {
  App as AppData,
  Capabilities,
  Datapoint,
  DateString,
  HeedyObject,
  JsonSchema,
  ObjectCreate,
  ObjectUpdate,
  OkResult,
  PlotResult,
  TimeseriesMeta,
  User as UserData,
} from "../core/resources.js";
export { App, type AppReadOptions, type AppUpdate, Plugin, type PluginOptions } from "./app.js";
export { type CsvOptions, DatapointArray } from "./datapoints.js";
export {
  type ErrorKind,
  errorKind,
  HeedyError,
  HeedyNetworkError,
  HeedyResponseError,
  isAbortError,
} from "./errors.js";
export { KV, type KVValues } from "./kv.js";
export { normalizeObject, ObjectHandle, ObjectMeta, type ObjectReadOptions } from "./object-handle.js";
export {
  isTimeseries,
  type ObjectCreateFields,
  type ObjectFilter,
  type Objects,
  objectHandle,
  objectsCollection,
} from "./objects.js";
export {
  type Connection,
  type HeedyCapabilities,
  PLOT_EXTENSION,
  type ServerCapabilities,
  ServerInfo,
} from "./server.js";
export {
  DEFAULT_URL,
  type FetchLike,
  type Query,
  type QueryValue,
  type RequestOptions,
  resolveBaseUrl,
  Session,
  type SessionOptions,
} from "./session.js";
export { nowSeconds, parseDateString, queryTime, type TimeInput, unixSeconds } from "./times.js";
export {
  type AggregateQuery,
  type AppendOptions,
  type InsertArrayOptions,
  type InsertMethod,
  type InsertOptions,
  type PlotQuery,
  Timeseries,
  type TimeseriesQuery,
  type TimeseriesSelection,
} from "./timeseries.js";
export { User, type UserUpdate } from "./users.js";
