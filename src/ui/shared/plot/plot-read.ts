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
  type App,
  type Datapoint,
  type HeedyObject,
  PLOT_EXTENSION,
  Timeseries,
} from "../../../client/index";
import { queryKeys } from "../api/query-keys";
import { isRelative, type ResolvedRange, resolveRange, type ViewRange } from "../time/view-range";
import { lazyWorkerRpc, RpcRemoteError } from "../worker-rpc";
import type { ReducedPlot, ReducerReply, ReducerRequest } from "./plot-reducer";

/** Pixel columns asked for: enough for a full-width chart on a high-density screen. */
export const PLOT_COLUMNS = 2000;
/** Points per page of the browser fallback. */
export const PLOT_PAGE = 200_000;

export interface PlotView {
  /** Points stored in the range. */
  count: number;
  columns: number;
  /** True when `points` holds every point of the range. */
  raw: boolean;
  points: Datapoint[];
  /** The evaluated range (time ranges give t1/t2; the x axis spans exactly that window). */
  resolved: ResolvedRange;
  /** Who reduced the data. */
  source: "server" | "browser";
  /** When the query ran (ms since epoch). */
  fetchedAt: number;
}

export function plotKey(id: string, range: ViewRange) {
  return [...queryKeys.timeseriesAll(id), "plot", range] as const;
}

export function plotQuery(client: App, object: HeedyObject, range: ViewRange) {
  return queryOptions({
    queryKey: plotKey(object.id, range),
    queryFn: ({ signal }) => fetchPlot(client, object, range, { signal }),
    // A window that moves with the clock (or with appends) is re-read whenever it is shown again;
    // a fixed window only changes through writes, which invalidate it.
    staleTime: isRelative(range) ? 0 : Number.POSITIVE_INFINITY,
    // A range error (a typo in a custom range) is the user's to fix, not a network blip.
    retry: (failures, error) =>
      failures < 2 && !(error instanceof TypeError) && error.name !== "RangeInputError",
  });
}

export interface PlotOptions {
  signal?: AbortSignal;
  columns?: number;
  /** Forces the browser path (tests; the bench's heedy-compatibility figure). */
  forceBrowser?: boolean;
}

export async function fetchPlot(
  client: App,
  object: HeedyObject,
  range: ViewRange,
  options: PlotOptions = {},
): Promise<PlotView> {
  const resolved = resolveRange(range, new Date());
  const columns = options.columns ?? PLOT_COLUMNS;
  const ts = new Timeseries(client, object);
  const useServer =
    !options.forceBrowser && (await client.server.hasExtension(PLOT_EXTENSION, { signal: options.signal }));
  if (useServer) {
    const result = await ts.plot({ ...resolved, columns, signal: options.signal });
    return {
      count: result.count,
      columns: result.columns,
      raw: result.raw,
      points: result.data,
      resolved,
      source: "server",
      fetchedAt: Date.now(),
    };
  }
  const reduced = await reduceInBrowser(client, object, resolved, columns, options.signal);
  return {
    count: reduced.count,
    columns,
    raw: reduced.count === reduced.points.length,
    points: reduced.points,
    resolved,
    source: "browser",
    fetchedAt: Date.now(),
  };
}

function dataPath(object: HeedyObject): string {
  return `api/objects/${encodeURIComponent(object.id)}/timeseries`;
}

/** A plain heedy read returning the JSON text unparsed (parsing happens in the worker). */
function readText(
  client: App,
  object: HeedyObject,
  query: Record<string, number | undefined>,
  signal?: AbortSignal,
): Promise<string> {
  return client.session.text("GET", dataPath(object), { query, signal });
}

async function firstAndLast(
  client: App,
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
  client: App,
  object: HeedyObject,
  resolved: ResolvedRange,
  columns: number,
  signal?: AbortSignal,
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
    await ask({ job, kind: "begin", columns, t1, t2 });
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
export function usePlot(client: App, object: HeedyObject, range: ViewRange, options: UsePlotOptions) {
  return useQuery({
    ...plotQuery(client, object, range),
    placeholderData: keepPreviousData,
    refetchInterval: options.refetchInterval,
    refetchIntervalInBackground: false,
  });
}
