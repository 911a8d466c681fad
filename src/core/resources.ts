/** Resource shapes on the wire (contract section 3, with project decision 1). */
import type { WindowStats } from "./aggregate.js";

/** A calendar date in UTC, `YYYY-MM-DD`. */
export type DateString = string;

export interface User {
  username: string;
  name: string;
  description: string;
  public_read: boolean;
  users_read: boolean;
  icon?: string;
}

export interface App {
  id: string;
  name: string;
  description: string;
  owner: string;
  enabled: boolean;
  created_date: DateString;
  last_access_date: DateString | null;
  /** Space-separated scope set; `*` absorbs everything. */
  scope: string;
  settings: Record<string, unknown>;
  settings_schema: Record<string, unknown>;
  plugin?: string;
  /** Present as `""` when the app has no token, or with the token where it was just created. */
  access_token?: string;
  icon?: string;
}

/** A JSON Schema as stored in `meta.schema`; `{}` accepts anything. */
export type JsonSchema = Record<string, unknown>;

/** Timeseries meta of this project (decision 1). heedy 0.6 servers send only `{schema}`. */
export interface TimeseriesMeta {
  actor?: boolean;
  schema: JsonSchema;
  subtype?: string;
  [key: string]: unknown;
}

export interface HeedyObject {
  id: string;
  name: string;
  description: string;
  owner: string;
  app: string | null;
  /** Space-separated tag set. */
  tags: string;
  /** Omitted when unset; only app objects may carry one. */
  key?: string;
  type: string;
  meta: TimeseriesMeta | Record<string, unknown>;
  created_date: DateString;
  /** This project's field (decision 1): null until data is first written. */
  last_modified?: DateString | null;
  /** heedy 0.6's name for the same fact; clients read either. */
  modified_date?: DateString | null;
  owner_scope: string;
  /** Scopes the requester holds on the object, computed per request. */
  access: string;
  icon?: string;
  /**
   * Extension `objects.modified_time`, only when the read asked `?modified_time=true`: unix seconds
   * of the last data write (null before any, or when written before the server recorded it).
   */
  modified_time?: number | null;
}

/** One timeseries point: unix seconds, data, and an optional duration in seconds. */
export interface Datapoint<D = unknown> {
  t: number;
  d: D;
  dt?: number;
}

/** `{"result":"ok"}`, the answer of every command endpoint (contract 1.3). */
export interface OkResult {
  result: "ok";
  access_token?: string;
}

/** Our own discovery document (`GET /api/server/capabilities`, decision 6). */
export interface Capabilities {
  server: "heedy-explorer";
  version: string;
  /** Extension names, e.g. `"timeseries.plot"`. */
  extensions: string[];
}

/** What `POST …/timeseries/replace` (extension `timeseries.replace`) answers. */
export interface ReplaceResult extends OkResult {
  removed: number;
  written: number;
}

/** Object fields accepted when creating (contract 6.2). */
export interface ObjectCreate {
  name: string;
  type?: string;
  description?: string;
  icon?: string;
  owner?: string;
  app?: string;
  tags?: string;
  key?: string;
  meta?: Record<string, unknown>;
  owner_scope?: string;
  data?: Datapoint[];
}

/** Object fields accepted by PATCH (contract 6.4). */
export interface ObjectUpdate {
  name?: string;
  description?: string;
  icon?: string;
  tags?: string;
  key?: string;
  owner_scope?: string;
  meta?: Record<string, unknown>;
  owner?: string;
  app?: string;
}

/**
 * Answer of our plot extension, `GET /api/objects/{id}/timeseries/plot` (decision 6; listed as
 * `"timeseries.plot"` in capabilities). Query: `t1`, `t2`, `i1`, `i2` as in a plain read, plus
 * `columns` (pixel columns, 1..20000, default 1000).
 */
export interface PlotResult {
  /** Number of stored points in the selected range. */
  count: number;
  /** Columns asked for. */
  columns: number;
  /** True when `data` is every point of the range (few points per column). */
  raw: boolean;
  /**
   * With `counts=true` on a reduced numeric plot: points per column, and the `[start, end]` the
   * columns divide evenly (so a tooltip can say how many points a column holds).
   */
  counts?: number[];
  span?: [number, number];
  /**
   * With `summary=true` (`timeseries.aggregate`): count, sum, min, max, first, last and duration
   * of every point in the range, so a chart and its summary strip cost one request.
   */
  summary?: WindowStats;
  /**
   * Real datapoints of the series in time order. When reduced, each column keeps its first, last,
   * minimum and maximum points (M4), de-duplicated, so a line through them draws like the raw data.
   */
  data: Datapoint[];
  /**
   * "changes" when the range holds values that are not numbers and was sampled rather than sent
   * whole: each column kept its first and last point and its first few value changes. Absent when
   * `raw`, for M4 reductions, and from servers that predate it (they sent such ranges raw).
   */
  sampled?: "changes";
}

/** Fields of `POST /api/apps` (contract 5.2); `scope` is a space-separated scope set. */
export interface AppCreate {
  name: string;
  description?: string;
  icon?: string;
  enabled?: boolean;
  scope?: string;
  settings?: Record<string, unknown>;
  settings_schema?: Record<string, unknown>;
  /** Plugin key only: the owner of the new app. */
  owner?: string;
}

/** Fields of `POST /api/users` (contract 4); the password may not be empty. */
export interface UserCreate {
  username: string;
  password: string;
  name?: string;
  description?: string;
  icon?: string;
  public_read?: boolean;
  users_read?: boolean;
}

/** One browser session of a user, `GET /api/users/{username}/sessions`. */
export interface UserSession {
  sessionid: string;
  /** The browser's user agent at sign-in. */
  description: string;
  created_date: DateString;
  last_access_date: DateString;
  /** Our addition: true for the session making the request (absent on heedy). */
  current?: boolean;
}

/** `GET /frontend_context` (contract 10): who the browser's cookie signs in as. */
export interface FrontendContext {
  /** null unless signed in with a session cookie. */
  user: User | null;
  admin: boolean;
  version?: string;
  run_id?: string;
  [key: string]: unknown;
}
