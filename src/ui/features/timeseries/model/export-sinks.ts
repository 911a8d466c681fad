/**
 * Where a streamed export goes (api/export-range.ts reads the range): the File System Access API's
 * stream when the user picked a file, or Blob parts otherwise. No single string ever holds the
 * whole export, so a million points work.
 */
import type { HeedyObject } from "../../../../client/index";

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
