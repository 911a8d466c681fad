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
  AppCreate,
  Capabilities,
  Datapoint,
  DateString,
  FrontendContext,
  HeedyObject,
  JsonSchema,
  ObjectCreate,
  ObjectUpdate,
  OkResult,
  PlotResult,
  ReplaceResult,
  TimeseriesMeta,
  User as UserData,
  UserCreate,
  UserSession,
} from "../core/resources.js";
export { App, type AppReadOptions, type AppUpdate, Client, Plugin, type PluginOptions } from "./app.js";
export { Apps, type OwnedAppUpdate } from "./apps.js";
export { type CsvOptions, DatapointArray } from "./datapoints.js";
export {
  type ErrorKind,
  errorKind,
  HeedyError,
  HeedyNetworkError,
  HeedyResponseError,
  isAbortError,
} from "./errors.js";
export {
  type EventFilter,
  EventStream,
  type EventStreamOptions,
  type EventStreamStatus,
  type HeedyEvent,
  type WebSocketConstructor,
  type WebSocketLike,
} from "./events.js";
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
export { Person } from "./person.js";
export {
  type Connection,
  type HeedyCapabilities,
  MODIFIED_TIME_EXTENSION,
  PLOT_EXTENSION,
  REPLACE_EXTENSION,
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
  type ReplaceOptions,
  type ReplaceOutcome,
  readPlot,
  Timeseries,
  type TimeseriesQuery,
  type TimeseriesSelection,
} from "./timeseries.js";
export { Admins, User, Users, type UserUpdate } from "./users.js";
