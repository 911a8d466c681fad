/**
 * Reads for the data table: where the selected range sits in the series (first index and count),
 * then blocks of rows by index, newest first, so a million-row range scrolls without reading it all.
 *
 * Indices in heedy reads count from the start of the whole series (contract 8.3), so a time range
 * is located once: `count` = points in [t1, t2), and the first index = length − points at or after
 * t1. Both are `transform=count` reads, one point each: this server counts them from chunk
 * summaries, and heedy answers them too. (The plot read was used before; on a non-numeric series
 * it carried every point of the range, twice.)
 */
import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import {
  type Datapoint,
  type HeedyObject,
  Timeseries,
  type TimeseriesSelection,
} from "../../../../client/index";
import { queryKeys } from "../../../shared/api/query-keys";
import type { ExplorerClient } from "../../../shared/session/session-store";
import { resolveRange, type ViewRange } from "../../../shared/time/view-range";
import { currentZone } from "../../../shared/time/zone";

export const TABLE_BLOCK = 200;

export interface TableWindow {
  /** Index of the range's first (oldest) point in the whole series. */
  start: number;
  /** Points in the range. */
  count: number;
  /** The range as evaluated for this window: every block and the range delete use exactly this. */
  selection: TimeseriesSelection;
}

export function tableWindowKey(id: string, range: ViewRange) {
  return [...queryKeys.timeseriesAll(id), "table", range] as const;
}

export async function locateRange(
  client: ExplorerClient,
  object: HeedyObject,
  range: ViewRange,
  signal?: AbortSignal,
): Promise<TableWindow> {
  const ts = new Timeseries(client, object);
  const resolved = resolveRange(range, new Date(), currentZone());
  const length = await ts.length({ signal });
  if (range.kind === "points") {
    const count = Math.min(range.count, length);
    return { start: length - count, count, selection: { i1: length - count } };
  }
  if (range.kind === "all" || resolved.t1 === undefined) {
    return { start: 0, count: length, selection: { i1: 0 } };
  }
  const selection = { t1: resolved.t1, t2: resolved.t2 };
  const [inRange, fromStart] = await Promise.all([
    ts.query({ ...selection, transform: "count", signal }),
    ts.query({ t1: resolved.t1, transform: "count", signal }),
  ]);
  const countOf = (r: Datapoint[]) => (typeof r[0]?.d === "number" ? (r[0].d as number) : 0);
  return { start: length - countOf(fromStart), count: countOf(inRange), selection };
}

export function tableWindowQuery(client: ExplorerClient, object: HeedyObject, range: ViewRange) {
  return queryOptions({
    queryKey: tableWindowKey(object.id, range),
    queryFn: ({ signal }) => locateRange(client, object, range, signal),
  });
}

export function useTableWindow(client: ExplorerClient, object: HeedyObject, range: ViewRange) {
  return useQuery({ ...tableWindowQuery(client, object, range), placeholderData: keepPreviousData });
}

/** Block `b` of rows, newest first: rows [b·B, (b+1)·B) of the range. */
export function blockIndices(win: TableWindow, block: number): [number, number] {
  const end = win.start + win.count - block * TABLE_BLOCK;
  const begin = Math.max(win.start, end - TABLE_BLOCK);
  return [begin, end];
}

export function tableBlockQuery(
  client: ExplorerClient,
  object: HeedyObject,
  range: ViewRange,
  win: TableWindow,
  block: number,
) {
  const [i1, i2] = blockIndices(win, block);
  return queryOptions({
    queryKey: [...tableWindowKey(object.id, range), win.start, win.count, block] as const,
    queryFn: async ({ signal }): Promise<Datapoint[]> => {
      if (i2 <= i1) return [];
      const { t1, t2 } = win.selection;
      const points = await new Timeseries(client, object).query({ t1, t2, i1, i2, signal });
      return Array.from(points).reverse();
    },
    staleTime: 10_000,
  });
}
