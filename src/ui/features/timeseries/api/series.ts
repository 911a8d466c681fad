/** Timeseries reads and writes of the Data tab: length, append, delete, and the import upload. */
import { type QueryClient, queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import {
  type Datapoint,
  type HeedyObject,
  type InsertMethod,
  Timeseries,
  type TimeseriesSelection,
} from "../../../../client/index";
import { queryKeys } from "../../../shared/api/query-keys";
import { type ExplorerClient, useClient } from "../../../shared/session/session-store";

export function timeseriesHandle(client: ExplorerClient, object: HeedyObject): Timeseries {
  return new Timeseries(client, object);
}

export function lengthQuery(client: ExplorerClient, object: HeedyObject) {
  return queryOptions({
    queryKey: queryKeys.length(object.id),
    queryFn: ({ signal }) => timeseriesHandle(client, object).length({ signal }),
  });
}

export function useLength(object: HeedyObject) {
  return useQuery(lengthQuery(useClient(), object));
}

/** The newest point's time (seconds), null for an empty series: the Data tab's "last written". */
export function useLastPointTime(object: HeedyObject) {
  const client = useClient();
  return useQuery({
    queryKey: [...queryKeys.timeseriesAll(object.id), "last"] as const,
    queryFn: async ({ signal }) => {
      const last = (await timeseriesHandle(client, object).slice(-1, undefined, { signal }))[0];
      return last === undefined ? null : last.t;
    },
  });
}

/** After a write to the data: every view of the series and the object (its last-modified date). */
function seriesWritten(queryClient: QueryClient, id: string): Promise<unknown> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: queryKeys.timeseriesAll(id) }),
    queryClient.invalidateQueries({ queryKey: queryKeys.object(id) }),
  ]);
}

export interface AppendInput {
  d: unknown;
  /** Unix seconds; now when left out. */
  t?: number;
  /** Seconds. */
  dt?: number;
}

/**
 * Adds one point. Afterwards every view of the series (`['timeseries', id]`), the object (its
 * last-modified date) and the listings are re-read, so nothing stale stays on the screen.
 */
export function useAppend(object: HeedyObject) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: (input: AppendInput) =>
      timeseriesHandle(client, object).insert(input.d, {
        t: input.t,
        dt: input.dt,
      }),
    onSuccess: () =>
      Promise.all([
        seriesWritten(queryClient, object.id),
        queryClient.invalidateQueries({ queryKey: queryKeys.objectsAll() }),
      ]),
  });
}

/**
 * Saves an edited point: removes the old one and writes the new one as one change (the server's
 * `timeseries.replace`; on a real heedy the client's non-atomic fallback). `insert` refuses to land
 * on another stored point instead of silently replacing it.
 */
export function useReplacePoint(object: HeedyObject) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: (input: { selection: TimeseriesSelection; point: Datapoint }) =>
      timeseriesHandle(client, object).replace(input.selection, [input.point], { method: "insert" }),
    onSuccess: () =>
      Promise.all([
        seriesWritten(queryClient, object.id),
        queryClient.invalidateQueries({ queryKey: queryKeys.objectsAll() }),
      ]),
  });
}

/** Deletes the points of a selection (one point: `{ t }`; the table's range: its evaluated selection). */
export function useRemovePoints(object: HeedyObject) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: (selection: TimeseriesSelection) => timeseriesHandle(client, object).remove(selection),
    onSuccess: () => seriesWritten(queryClient, object.id),
  });
}

export interface ImportUpload {
  /** Sends one batch; the server writes a batch whole or not at all. */
  send(points: Datapoint[], method: InsertMethod, signal: AbortSignal): Promise<unknown>;
  /** Re-reads the views of the series once the upload stopped, whatever landed. */
  finished(): Promise<unknown>;
}

/**
 * The import dialog's upload, batch by batch. Not a mutation: the dialog drives the batches itself
 * (progress, stop between batches, which rows landed) and shows every failure in place.
 */
export function useImportUpload(object: HeedyObject): ImportUpload {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMemo(() => {
    const ts = timeseriesHandle(client, object);
    return {
      send: (points, method, signal) => ts.insertArray(points, { method, signal }),
      finished: () => seriesWritten(queryClient, object.id),
    };
  }, [client, object, queryClient]);
}
