/**
 * Streamed export of a range: the range is read in pages (plain heedy reads with `limit`, the next
 * page starting at the last timestamp seen), and each page becomes one chunk written to a sink
 * (model/export-sinks.ts) as soon as it arrives.
 */
import {
  type Datapoint,
  type HeedyObject,
  Timeseries,
  type TimeseriesSelection,
} from "../../../../client/index";
import type { ExplorerClient } from "../../../shared/session/session-store";
import { CSV_HEADER, csvRows } from "../model/csv";
import type { ChunkSink, ExportFormat } from "../model/export-sinks";

export const EXPORT_PAGE = 50_000;

/** Reads a selection page by page. Pages never repeat a point (the boundary point is skipped). */
export async function* readPages(
  client: ExplorerClient,
  object: HeedyObject,
  selection: TimeseriesSelection,
  pageSize: number,
  signal?: AbortSignal,
): AsyncGenerator<Datapoint[]> {
  const ts = new Timeseries(client, object);
  let from = selection.t1;
  let lastT = Number.NEGATIVE_INFINITY;
  for (;;) {
    signal?.throwIfAborted();
    const page = await ts.query({ ...selection, t1: from, limit: pageSize, signal });
    let start = 0;
    while (start < page.length && page[start]!.t <= lastT) start++;
    const fresh = start === 0 ? Array.from(page) : page.slice(start);
    if (fresh.length > 0) {
      yield fresh;
      lastT = fresh[fresh.length - 1]!.t;
    }
    if (page.length < pageSize || fresh.length === 0) return;
    from = lastT;
  }
}

export interface ExportProgress {
  written: number;
}

export async function exportRange(options: {
  client: ExplorerClient;
  object: HeedyObject;
  selection: TimeseriesSelection;
  format: ExportFormat;
  sink: ChunkSink;
  signal?: AbortSignal;
  pageSize?: number;
  onProgress?(p: ExportProgress): void;
}): Promise<number> {
  const { sink, format } = options;
  let written = 0;
  try {
    await sink.write(format === "csv" ? CSV_HEADER : "[");
    for await (const page of readPages(
      options.client,
      options.object,
      options.selection,
      options.pageSize ?? EXPORT_PAGE,
      options.signal,
    )) {
      if (format === "csv") await sink.write(csvRows(page));
      else {
        let chunk = "";
        for (const p of page) chunk += `${written++ === 0 ? "\n" : ",\n"}${JSON.stringify(p)}`;
        await sink.write(chunk);
      }
      if (format === "csv") written += page.length;
      options.onProgress?.({ written });
    }
    await sink.write(format === "csv" ? "" : "\n]\n");
    await sink.close();
    return written;
  } catch (err) {
    await sink.abort();
    throw err;
  }
}
