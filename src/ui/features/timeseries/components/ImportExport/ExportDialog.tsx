import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import type { HeedyObject, TimeseriesSelection } from "../../../../../client/index";
import { Dialog } from "../../../../shared/components/Dialog";
import { useClient } from "../../../../shared/session/session-store";
import { formatCount } from "../../../../shared/time/format";
import { describeRange, resolveRange, type ViewRange } from "../../../../shared/time/view-range";
import { currentZone } from "../../../../shared/time/zone";
import { exportRange } from "../../api/export-range";
import { tableWindowQuery } from "../../api/table";
import {
  BlobSink,
  type ChunkSink,
  canPickFile,
  type ExportFormat,
  exportFileName,
  fileSink,
} from "../../model/export-sinks";
import "./ImportExport.css";

type State =
  | { kind: "idle" }
  | { kind: "running"; written: number }
  | { kind: "done"; written: number; url?: string; name: string }
  | { kind: "error"; message: string; written: number };

export default function ExportDialog(props: { object: HeedyObject; range: ViewRange; onClose(): void }) {
  const { object, range } = props;
  const id = useId();
  const client = useClient();
  const total = useQuery(tableWindowQuery(client, object, range));
  const [format, setFormat] = useState<ExportFormat>("csv");
  const [pick, setPick] = useState(false);
  const [state, setState] = useState<State>({ kind: "idle" });
  const abort = useRef<AbortController | null>(null);
  const link = useRef<HTMLAnchorElement>(null);

  const start = async () => {
    const name = exportFileName(object, format);
    let sink: ChunkSink;
    let blobSink: BlobSink | null = null;
    try {
      if (pick && canPickFile()) sink = await fileSink(name, format);
      else {
        blobSink = new BlobSink(format === "csv" ? "text/csv" : "application/json");
        sink = blobSink;
      }
    } catch {
      // The user closed the file picker.
      return;
    }
    const controller = new AbortController();
    abort.current = controller;
    setState({ kind: "running", written: 0 });
    let written = 0;
    try {
      const resolved = resolveRange(range, new Date(), currentZone());
      const selection: TimeseriesSelection =
        range.kind === "time" ? { t1: resolved.t1, t2: resolved.t2 } : { i1: resolved.i1 };
      written = await exportRange({
        client,
        object,
        selection,
        format,
        sink,
        signal: controller.signal,
        onProgress: (p) => {
          written = p.written;
          setState({ kind: "running", written: p.written });
        },
      });
      const url = blobSink ? URL.createObjectURL(blobSink.blob()) : undefined;
      setState({ kind: "done", written, url, name });
    } catch (err) {
      setState({
        kind: "error",
        written,
        message: controller.signal.aborted ? "Cancelled." : (err as Error).message,
      });
    } finally {
      abort.current = null;
    }
  };

  // Start the download as soon as the link exists; the link stays for a second try.
  const doneUrl = state.kind === "done" ? state.url : undefined;
  useEffect(() => {
    if (doneUrl) link.current?.click();
  }, [doneUrl]);

  const close = () => {
    abort.current?.abort();
    if (state.kind === "done" && state.url) setTimeout(() => URL.revokeObjectURL(state.url!), 60_000);
    props.onClose();
  };

  const count = total.data?.count;
  return (
    <Dialog open title="Export range" onClose={close}>
      <p>
        {describeRange(range)}
        {count !== undefined ? `: ${formatCount(count)} points` : ""}.
      </p>
      <fieldset className="ie-choices" disabled={state.kind === "running"}>
        <legend>Format</legend>
        <label>
          <input
            type="radio"
            name={`${id}-format`}
            checked={format === "csv"}
            onChange={() => setFormat("csv")}
          />{" "}
          CSV (t, dt, d; object values get one column per field)
        </label>
        <label>
          <input
            type="radio"
            name={`${id}-format`}
            checked={format === "json"}
            onChange={() => setFormat("json")}
          />{" "}
          JSON (heedy datapoints)
        </label>
        {canPickFile() && (
          <label>
            <input type="checkbox" checked={pick} onChange={(e) => setPick(e.target.checked)} /> Choose where
            to save (writes straight to disk)
          </label>
        )}
      </fieldset>
      {state.kind === "running" && (
        <div className="ie-progress">
          <progress max={count ?? undefined} value={state.written} aria-label="Export progress" />
          <span>
            {formatCount(state.written)}
            {count !== undefined ? ` of ${formatCount(count)}` : ""} points written
          </span>
        </div>
      )}
      {state.kind === "done" && (
        <p role="status" data-testid="export-done">
          Exported {formatCount(state.written)} points.{" "}
          {state.url && (
            <a ref={link} href={state.url} download={state.name}>
              Download {state.name}
            </a>
          )}
        </p>
      )}
      {state.kind === "error" && (
        <p className="field-error" role="alert">
          {state.message} {formatCount(state.written)} points had been written; the file is incomplete and was
          not saved.
        </p>
      )}
      <div className="dialog-actions">
        {state.kind === "running" ? (
          <button type="button" className="ts-button" onClick={() => abort.current?.abort()}>
            Cancel export
          </button>
        ) : (
          <>
            <button type="button" className="ts-button" onClick={close}>
              Close
            </button>
            <button type="button" className="ts-button primary" onClick={() => void start()}>
              Export {format.toUpperCase()}
            </button>
          </>
        )}
      </div>
    </Dialog>
  );
}
