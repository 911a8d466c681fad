/**
 * Streamed export of a range: the range is read in pages (plain heedy reads with `limit`, the next
 * page starting at the last timestamp seen), and each page becomes one chunk written to the File
 * System Access API's stream when the user picked a file, or to a Blob part otherwise. No single
 * string ever holds the whole export, so a million points work.
 */
import {
  type App,
  type Datapoint,
  type HeedyObject,
  Timeseries,
  type TimeseriesSelection,
} from "../../../../client/index";
import { CSV_HEADER, csvRows } from "./csv";

export const EXPORT_PAGE = 50_000;

export type ExportFormat = "csv" | "json";

export interface ChunkSink {
  write(chunk: string): Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}

/** Collects chunks as Blob parts; `blob()` gives the file once closed. */
export class BlobSink implements ChunkSink {
  private parts: Blob[] = [];
  private done: Blob | null = null;
  constructor(private readonly type: string) {}
  async write(chunk: string): Promise<void> {
    this.parts.push(new Blob([chunk], { type: this.type }));
  }
  async close(): Promise<void> {
    this.done = new Blob(this.parts, { type: this.type });
    this.parts = [];
  }
  async abort(): Promise<void> {
    this.parts = [];
  }
  blob(): Blob {
    if (!this.done) throw new Error("The export has not finished");
    return this.done;
  }
}

/** Reads a selection page by page. Pages never repeat a point (the boundary point is skipped). */
export async function* readPages(
  client: App,
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
  client: App;
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

interface FileHandleLike {
  createWritable(): Promise<{
    write(data: string): Promise<void>;
    close(): Promise<void>;
    abort(): Promise<void>;
  }>;
}

type SavePicker = (options: {
  suggestedName: string;
  types: { description: string; accept: Record<string, string[]> }[];
}) => Promise<FileHandleLike>;

export function canPickFile(): boolean {
  return typeof (globalThis as { showSaveFilePicker?: unknown }).showSaveFilePicker === "function";
}

/** A sink writing straight to a file the user picks (Chromium's File System Access API). */
export async function fileSink(name: string, format: ExportFormat): Promise<ChunkSink> {
  const picker = (globalThis as unknown as { showSaveFilePicker: SavePicker }).showSaveFilePicker;
  const handle = await picker({
    suggestedName: name,
    types: [
      format === "csv"
        ? { description: "CSV", accept: { "text/csv": [".csv"] } }
        : { description: "JSON", accept: { "application/json": [".json"] } },
    ],
  });
  const stream = await handle.createWritable();
  return {
    write: (chunk) => stream.write(chunk),
    close: () => stream.close(),
    abort: () => stream.abort(),
  };
}

export function exportFileName(object: HeedyObject, format: ExportFormat): string {
  const base = object.name.replace(/[^\w.-]+/g, "_").replace(/^_+|_+$/g, "") || object.id;
  return `${base}.${format}`;
}
