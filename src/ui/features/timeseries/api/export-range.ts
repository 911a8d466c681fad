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
import { CSV_HEADER, csvFieldRows, csvRows, fieldsHeader, isPlainObject } from "../model/csv";
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

/**
 * The field columns of a CSV export: when every value of the selection is an object, its field
 * names in order of first appearance; otherwise null (one `d` column). A schema that closes the
 * object (`additionalProperties: false`) names them without a read; else the range is read once
 * first, since the header must list every field before the first row.
 */
export async function exportFields(
  client: ExplorerClient,
  object: HeedyObject,
  selection: TimeseriesSelection,
  pageSize: number,
  signal?: AbortSignal,
): Promise<string[] | null> {
  const schema = (object.meta as { schema?: unknown }).schema;
  if (
    isPlainObject(schema) &&
    schema.type === "object" &&
    schema.additionalProperties === false &&
    isPlainObject(schema.properties) &&
    Object.keys(schema.properties).length > 0
  )
    return Object.keys(schema.properties);
  const seen = new Set<string>();
  for await (const page of readPages(client, object, selection, pageSize, signal)) {
    for (const p of page) {
      if (!isPlainObject(p.d)) return null;
      for (const k of Object.keys(p.d)) seen.add(k);
    }
  }
  return seen.size > 0 ? [...seen] : null;
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
  const pageSize = options.pageSize ?? EXPORT_PAGE;
  let written = 0;
  try {
    const fields =
      format === "csv"
        ? await exportFields(options.client, options.object, options.selection, pageSize, options.signal)
        : null;
    await sink.write(format === "csv" ? (fields ? fieldsHeader(fields) : CSV_HEADER) : "[");
    for await (const page of readPages(
      options.client,
      options.object,
      options.selection,
      pageSize,
      options.signal,
    )) {
      if (format === "csv") await sink.write(fields ? csvFieldRows(page, fields) : csvRows(page));
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
