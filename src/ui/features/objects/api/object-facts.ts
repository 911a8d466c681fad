/**
 * The list's facts about one timeseries: its point count, latest point and a sparkline of the
 * last day. Read only for rows on screen (the list renders only those), and kept under the
 * series' `['timeseries', id]` key, so an append anywhere refreshes them with the other views.
 */
import { queryOptions } from "@tanstack/react-query";
import { type Datapoint, type HeedyObject, Timeseries } from "../../../../client/index";
import { queryKeys } from "../../../shared/api/query-keys";
import type { ExplorerClient } from "../../../shared/session/session-store";

/** Sparkline columns: about two per pixel of its 96-px width is plenty. */
export const SPARK_COLUMNS = 96;

export interface ObjectFacts {
  count: number;
  latest: Datapoint | null;
  /** The last day, M4-reduced (server plot read, or reduced in the client on a real heedy). */
  day: Datapoint[];
  /** Start and end of the day drawn, unix seconds. */
  from: number;
  to: number;
}

export function objectFactsQuery(client: ExplorerClient, object: HeedyObject) {
  return queryOptions({
    queryKey: [...queryKeys.timeseriesAll(object.id), "facts"] as const,
    meta: { inlineError: true },
    staleTime: 30_000,
    queryFn: async ({ signal }): Promise<ObjectFacts> => {
      const ts = new Timeseries(client, object);
      const to = Date.now() / 1000;
      const from = to - 86_400;
      const [count, last, day] = await Promise.all([
        ts.length({ signal }),
        ts.slice(-1, undefined, { signal }),
        ts.plot({ t1: from, t2: to, columns: SPARK_COLUMNS, signal }),
      ]);
      return { count, latest: last[0] ?? null, day: day.data, from, to };
    },
  });
}
