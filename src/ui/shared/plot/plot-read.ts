/**
 * The chart's read: a range reduced to what `PLOT_COLUMNS` pixel columns can show.
 *
 * - With the server's plot read (`timeseries.plot` in `/api/server/capabilities`) the server does
 *   the reduction and a 10M-point series answers with a few thousand points.
 * - Against a plain heedy server the range is read page by page with ordinary heedy requests, and
 *   each page is parsed and reduced in a Web Worker (workers/plot.worker.ts), so the page stays
 *   responsive however long the series is.
 *
 * The query key holds the raw range strings (`now-6h`), never evaluated times: the range is
 * evaluated when the query runs, so a refetch (live refresh, an append) moves a relative window.
 */
import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import {
  AGGREGATE_EXTENSION,
  type Datapoint,
  type HeedyObject,
  PLOT_EXTENSION,
  type PlotResult,
  readPlot,
  Timeseries,
} from "../../../client/index";
import { type AggregateResult, mergeAll, statValue, type WindowStats } from "../../../core/aggregate";
import { earlyNow } from "../api/early-reads";
import { queryKeys } from "../api/query-keys";
import type { ExplorerClient } from "../session/session-store";
import type { ZoneChoice } from "../time/calendar";
import {
  isRelative,
  type ResolvedRange,
  resolveRange,
  usesCalendar,
  type ViewRange,
} from "../time/view-range";
import { lazyWorkerRpc, RpcRemoteError } from "../worker-rpc";
import { formatPer, PER_SECONDS, type Per, perOrigin } from "./per";
import type { ReducedPlot, ReducerOptions, ReducerReply, ReducerRequest } from "./plot-reducer";
import { PLOT_COLUMNS, SERVER_PLOT } from "./server-plot";

export { PLOT_COLUMNS } from "./server-plot";

/** Points per page of the browser fallback. */
export const PLOT_PAGE = 200_000;

export interface PlotView {
  /** Points stored in the range. */
  count: number;
  columns: number;
  /** True when `points` holds every point of the range (never when aggregated). */
  raw: boolean;
  points: Datapoint[];
  /** The evaluated range (time ranges give t1/t2; the x axis spans exactly that window). */
  resolved: ResolvedRange;
  /** Who reduced the data. */
  source: "server" | "browser";
  /** When the query ran (ms since epoch). */
  fetchedAt: number;
  /** Count, mean, min, max, first, last and duration of every point in the range. */
  summary?: WindowStats;
  /** The aggregation the points show, when not raw. */
  per?: Per;
  /** Points per column over `span`, when reduced: the tooltip's "column of n points". */
  counts?: number[];
  span?: readonly [number, number];
}

/** What a plot read shows besides its range: a field of object values, an aggregation. */
export interface PlotShape {
  zone?: ZoneChoice;
  per?: Per | null;
  /** One field of object values (Explore); read in full and reduced in the worker. */
  field?: string;
}

export function plotKey(id: string, range: ViewRange, shape: PlotShape = {}) {
  // The zone only changes calendar ranges and aggregation windows; other reads share their cache.
  const zone = usesCalendar(range) || shape.per ? (shape.zone ?? "local") : "";
  return [
    ...queryKeys.timeseriesAll(id),
    "plot",
    range,
    zone,
    formatPer(shape.per ?? null) ?? "",
    shape.field ?? "",
  ] as const;
}

/** How long a read of a window that moves with the clock is shown again without a new read. */
const RELATIVE_FRESH_MS = 5_000;

function plotOptions(
  id: string,
  range: ViewRange,
  shape: PlotShape,
  queryFn: (context: { signal: AbortSignal }) => Promise<PlotView>,
) {
  return queryOptions({
    queryKey: plotKey(id, range, shape),
    queryFn,
    // A window that moves with the clock (or with appends) is re-read whenever it is shown again,
    // unless it was read moments ago: React's page taking over a shared link's first paint would
    // otherwise read it twice in its first second. A fixed window only changes through writes;
    // writes (the events socket, or Live's polling) refresh either at once.
    staleTime: isRelative(range) ? RELATIVE_FRESH_MS : Number.POSITIVE_INFINITY,
    // A range error (a typo in a custom range) is the user's to fix, not a network blip.
    retry: (failures, error) =>
      failures < 2 && !(error instanceof TypeError) && error.name !== "RangeInputError",
  });
}

export function plotQuery(
  client: ExplorerClient,
  object: HeedyObject,
  range: ViewRange,
  shape: PlotShape = {},
) {
  return plotOptions(object.id, range, shape, ({ signal }) =>
    fetchPlot(client, object, range, { ...shape, signal }),
  );
}

/**
 * `plotQuery` for a shared link opened cold (app/early-start.ts): the server's plot read goes out
 * with nothing but the object's id as soon as the capabilities list it, beside the object read
 * rather than after it. A plain heedy server never sees it (decision 6): without the extension
 * the read runs as `plotQuery` runs it, once the object is in.
 */
export function earlyPlotQuery(
  client: ExplorerClient,
  id: string,
  object: Promise<HeedyObject>,
  range: ViewRange,
  shape: PlotShape = {},
) {
  return plotOptions(id, range, shape, async ({ signal }) => {
    const [hasPlot, hasAggregate] = await Promise.all([
      client.server.hasExtension(PLOT_EXTENSION, { signal }),
      client.server.hasExtension(AGGREGATE_EXTENSION, { signal }),
    ]);
    if (hasPlot && hasAggregate && !shape.per && shape.field === undefined) {
      // At the instant the page's first script resolved it, if it sent this read (shared/api).
      const resolved = resolveRange(range, earlyNow() ?? new Date(), shape.zone ?? "local");
      const [result, found] = await Promise.all([
        readPlot(client, id, { ...resolved, ...SERVER_PLOT, signal }),
        object,
      ]);
      if (found.type !== "timeseries") throw new TypeError(`${found.type} objects have no plot`);
      return serverView(result, resolved);
    }
    return fetchPlot(client, await object, range, { ...shape, signal });
  });
}

function serverView(result: PlotResult, resolved: ResolvedRange): PlotView {
  return {
    count: result.count,
    columns: result.columns,
    raw: result.raw,
    points: result.data,
    resolved,
    source: "server",
    fetchedAt: Date.now(),
    summary: result.summary,
    counts: result.counts,
    span: result.span,
  };
}

export interface PlotOptions extends PlotShape {
  signal?: AbortSignal;
  columns?: number;
  /** Forces the browser path (tests; the bench's heedy-compatibility figure). */
  forceBrowser?: boolean;
}

/** Windows as chart points: one per window, lasting the window, valued by the aggregate function. */
export function windowPoints(result: AggregateResult, per: Per): Datapoint[] {
  const out: Datapoint[] = [];
  for (const p of result.data) {
    const v = statValue(p.d as WindowStats, per.fn);
    if (v !== null) out.push({ t: p.t, dt: result.window, d: v });
  }
  return out;
}

export async function fetchPlot(
  client: ExplorerClient,
  object: HeedyObject,
  range: ViewRange,
  options: PlotOptions = {},
): Promise<PlotView> {
  const now = new Date();
  const zone = options.zone ?? "local";
  const resolved = resolveRange(range, now, zone);
  const columns = options.columns ?? PLOT_COLUMNS;
  const per = options.per ?? undefined;
  const ts = new Timeseries(client, object);
  const signal = options.signal;
  const [hasPlot, hasAggregate] = options.forceBrowser
    ? [false, false]
    : await Promise.all([
        client.server.hasExtension(PLOT_EXTENSION, { signal }),
        client.server.hasExtension(AGGREGATE_EXTENSION, { signal }),
      ]);
  const origin = per ? perOrigin(per, now.getTime() / 1000, zone) : undefined;
  if (options.field === undefined && hasPlot && hasAggregate) {
    if (per) {
      const result = await ts.aggregate({ ...resolved, window: PER_SECONDS[per.window], origin, signal });
      const points = windowPoints(result, per);
      return {
        count: result.count,
        columns: points.length,
        raw: false,
        points,
        resolved,
        source: "server",
        fetchedAt: Date.now(),
        summary: mergeAll(result.data.map((p) => p.d as WindowStats)),
        per,
      };
    }
    return serverView(await ts.plot({ ...resolved, ...SERVER_PLOT, columns, signal }), resolved);
  }
  const reduced = await reduceInBrowser(client, object, resolved, columns, signal, {
    field: options.field,
    window: per ? PER_SECONDS[per.window] : undefined,
    origin,
  });
  const windows = reduced.aggregate;
  const summary = windows ? mergeAll(windows.data.map((p) => p.d as WindowStats)) : undefined;
  if (per && windows) {
    const points = windowPoints(windows, per);
    return {
      count: reduced.count,
      columns: points.length,
      raw: false,
      points,
      resolved,
      source: "browser",
      fetchedAt: Date.now(),
      summary,
      per,
    };
  }
  return {
    count: reduced.count,
    columns,
    raw: reduced.count === reduced.points.length,
    points: reduced.points,
    resolved,
    source: "browser",
    fetchedAt: Date.now(),
    summary,
    counts: reduced.counts,
    span: reduced.span,
  };
}

function dataPath(object: HeedyObject): string {
  return `api/objects/${encodeURIComponent(object.id)}/timeseries`;
}

/** A plain heedy read returning the JSON text unparsed (parsing happens in the worker). */
function readText(
  client: ExplorerClient,
  object: HeedyObject,
  query: Record<string, number | undefined>,
  signal?: AbortSignal,
): Promise<string> {
  return client.session.text("GET", dataPath(object), { query, signal });
}

async function firstAndLast(
  client: ExplorerClient,
  object: HeedyObject,
  resolved: ResolvedRange,
  signal?: AbortSignal,
): Promise<[number, number] | null> {
  const ts = new Timeseries(client, object);
  const [first, last] = await Promise.all([
    ts.query({ ...resolved, limit: 1, signal }),
    ts.query({ i: -1, signal }),
  ]);
  const a = first[0];
  const b = last[0];
  if (!a || !b) return null;
  return [a.t, b.t + (b.dt ?? 0)];
}

async function reduceInBrowser(
  client: ExplorerClient,
  object: HeedyObject,
  resolved: ResolvedRange,
  columns: number,
  signal?: AbortSignal,
  options: ReducerOptions = {},
): Promise<ReducedPlot> {
  let t1 = resolved.t1;
  let t2 = resolved.t2;
  if (t1 === undefined || t2 === undefined) {
    const bounds = await firstAndLast(client, object, resolved, signal);
    if (!bounds) return { count: 0, points: [] };
    t1 ??= bounds[0];
    t2 ??= bounds[1];
  }
  const reducer = await reducerConnection();
  const job = nextJob++;
  const ask = async (request: ReducerRequest): Promise<ReducerReply> => {
    try {
      return await reducer(request, signal);
    } catch (err) {
      if (err instanceof RpcRemoteError) throw new Error(`Downsampling failed: ${err.message}`);
      throw err;
    }
  };
  try {
    await ask({ job, kind: "begin", columns, t1, t2, options });
    let from = resolved.t1;
    for (;;) {
      signal?.throwIfAborted();
      const text = await readText(
        client,
        object,
        { t1: from, t2: resolved.t2, i1: resolved.i1, limit: PLOT_PAGE },
        signal,
      );
      const page = await ask({ job, kind: "page", text });
      if (page.kind !== "page") throw new Error("Downsampling worker answered out of turn");
      // A short page is the last one; a page of only the repeated boundary point too.
      if (page.added === 0 || page.added < PLOT_PAGE - 1) break;
      from = page.lastT;
    }
    const done = await ask({ job, kind: "end" });
    if (done.kind !== "done") throw new Error("Downsampling worker answered out of turn");
    return done.result;
  } catch (err) {
    // Frees the job in the worker; a worker that is gone has nothing to free.
    reducer({ job, kind: "cancel" }).catch(() => undefined);
    throw err;
  }
}

type Reducer = (request: ReducerRequest, signal?: AbortSignal) => Promise<ReducerReply>;

let nextJob = 1;

const plotWorker =
  typeof Worker === "undefined"
    ? undefined
    : lazyWorkerRpc<ReducerRequest, ReducerReply>(
        () => new Worker(new URL("../../workers/plot.worker.ts", import.meta.url), { type: "module" }),
        "The downsampling worker",
      );

let inline: Promise<Reducer> | undefined;

/**
 * The reducer for one plot read: the app's worker (a fresh one if the last one failed; the whole
 * read stays on the worker it started with), or inline where there is no Worker support.
 */
async function reducerConnection(): Promise<Reducer> {
  if (plotWorker) {
    const rpc = plotWorker();
    return (request, signal) => rpc.call(request, { signal });
  }
  inline ??= import("./plot-reducer").then(({ createReducerHost }) => {
    const host = createReducerHost();
    return async (request: ReducerRequest) => {
      try {
        return host(request);
      } catch (err) {
        throw new RpcRemoteError((err as Error).message);
      }
    };
  });
  return inline;
}

export interface UsePlotOptions {
  /** Refetch interval in ms while live refresh is on, or false. */
  refetchInterval: number | false;
}

/** The chart's data; while a new range loads, the previous range stays on screen. */
export function usePlot(
  client: ExplorerClient,
  object: HeedyObject,
  range: ViewRange,
  options: UsePlotOptions,
  shape: PlotShape = {},
) {
  return useQuery({
    ...plotQuery(client, object, range, shape),
    placeholderData: keepPreviousData,
    refetchInterval: options.refetchInterval,
    refetchIntervalInBackground: false,
  });
}
