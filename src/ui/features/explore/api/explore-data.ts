/**
 * Explore's reads: each series' object and its plot read, all in parallel (react-query's
 * useQueries), so ten long series draw about as fast as one. Each plot read is the shared one
 * (server M4 or aggregate, or the worker against a real heedy).
 */
import { keepPreviousData, queryOptions, useQueries, useQuery } from "@tanstack/react-query";
import type { HeedyObject } from "../../../../client/index";
import { queryKeys } from "../../../shared/api/query-keys";
import { formatSeriesRef, type SeriesRef } from "../../../shared/explore-link";
import type { Per } from "../../../shared/plot/per";
import { type PlotView, plotQuery } from "../../../shared/plot/plot-read";
import type { ExplorerClient } from "../../../shared/session/session-store";
import type { ZoneChoice } from "../../../shared/time/calendar";
import type { ViewRange } from "../../../shared/time/view-range";

function objectQuery(client: ExplorerClient, id: string) {
  return queryOptions({
    queryKey: queryKeys.object(id),
    meta: { inlineError: true },
    queryFn: async ({ signal }) => (await client.objects.get(id, { signal })).data as HeedyObject,
  });
}

export interface ExploreSeries {
  ref: SeriesRef;
  key: string;
  object?: HeedyObject;
  plot?: PlotView;
  error?: Error;
  loading: boolean;
}

export function useExploreSeries(
  client: ExplorerClient,
  refs: readonly SeriesRef[],
  range: ViewRange,
  zone: ZoneChoice,
  per: Per | null,
): ExploreSeries[] {
  const objects = useQueries({ queries: refs.map((r) => objectQuery(client, r.id)) });
  const plots = useQueries({
    queries: refs.map((r, i) => {
      const object = objects[i]?.data;
      const base = object
        ? plotQuery(client, object, range, { zone, per, field: r.field })
        : plotQuery(client, { id: r.id } as HeedyObject, range, { zone, per, field: r.field });
      return { ...base, enabled: object !== undefined, placeholderData: keepPreviousData };
    }),
  });
  return refs.map((ref, i) => {
    const o = objects[i];
    const p = plots[i];
    return {
      ref,
      key: formatSeriesRef(ref),
      object: o?.data,
      plot: p?.data,
      error: (o?.error ?? p?.error ?? undefined) as Error | undefined,
      loading: (o?.isPending ?? true) || (p?.isPending ?? true),
    };
  });
}

/** Timeseries the picker offers (text and tag search run in the browser over this list). */
export function useTimeseriesList(client: ExplorerClient) {
  const filters = { tags: [], key: "", type: "timeseries" };
  return useQuery({
    queryKey: queryKeys.objects(filters),
    meta: { inlineError: true },
    queryFn: async ({ signal }) => {
      const handles = await client.objects({ type: "timeseries", signal });
      return handles.map((h) => h.data as HeedyObject);
    },
  });
}
