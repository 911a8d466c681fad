import { useEffect, useId, useRef, useState } from "react";
import type { HeedyObject, InsertMethod } from "../../../../../client/index";
import { Dialog } from "../../../../shared/components/Dialog";
import { formatCount } from "../../../../shared/time/format";
import { useImportUpload } from "../../api/series";
import {
  batches,
  type ColumnMapping,
  type ColumnRole,
  guessMapping,
  type ImportPlan,
  type ImportSource,
  mappingProblem,
  planImport,
  readSource,
} from "../../model/import-model";
import "./ImportExport.css";

export const DEFAULT_BATCH = 1000;
const PREVIEW_ROWS = 5;
const LISTED_PROBLEMS = 20;

type Upload =
  | { kind: "idle" }
  | { kind: "running"; sent: number; total: number; stopping: boolean }
  | { kind: "done"; total: number }
  | { kind: "cancelled"; landed: number; total: number }
  | {
      kind: "failed";
      batch: number;
      firstRow: number;
      lastRow: number;
      landed: number;
      total: number;
      message: string;
    };

const ROLES: { value: ColumnRole; label: string }[] = [
  { value: "t", label: "time (t)" },
  { value: "dt", label: "duration (dt)" },
  { value: "d", label: "data (d)" },
  { value: "field", label: "field of d" },
  { value: "ignore", label: "ignore" },
];

function rowsText(first: number, last: number): string {
  return first === last ? `row ${formatCount(first)}` : `rows ${formatCount(first)}–${formatCount(last)}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export default function ImportDialog(props: { object: HeedyObject; onClose(): void }) {
  const { object } = props;
  const id = useId();
  const uploader = useImportUpload(object);
  const [fileName, setFileName] = useState("");
  const [source, setSource] = useState<ImportSource | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const [mapping, setMapping] = useState<ColumnMapping[]>([]);
  const [method, setMethod] = useState<InsertMethod>("update");
  const [batchSize, setBatchSize] = useState(DEFAULT_BATCH);
  const [upload, setUpload] = useState<Upload>({ kind: "idle" });
  const stop = useRef<{ requested: boolean; controller: AbortController } | null>(null);
  const schema = (object.meta as { schema?: unknown }).schema ?? {};

  const onFile = async (file: File | undefined) => {
    setUpload({ kind: "idle" });
    setSource(null);
    setReadError(null);
    if (!file) return;
    setFileName(file.name);
    try {
      const s = readSource(file.name, await file.text());
      setSource(s);
      setMapping(guessMapping(s));
    } catch (err) {
      setReadError((err as Error).message);
    }
  };

  const problem = source ? mappingProblem(mapping) : null;
  // The rows are checked in the schema worker; a new file or mapping drops the check under way.
  const [planned, setPlanned] = useState<{
    source: ImportSource;
    mapping: ColumnMapping[];
    plan: ImportPlan | null;
    error?: string;
  } | null>(null);
  const schemaKey = JSON.stringify(schema);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the schema is compared by content.
  useEffect(() => {
    if (!source || problem) return;
    const controller = new AbortController();
    planImport(source, mapping, schema, LISTED_PROBLEMS + 1, controller.signal).then(
      (plan) => setPlanned({ source, mapping, plan }),
      (err: Error) => {
        if (!controller.signal.aborted)
          setPlanned({ source, mapping, plan: null, error: `The rows could not be checked: ${err.message}` });
      },
    );
    return () => controller.abort();
  }, [source, mapping, problem, schemaKey]);
  const current = planned && planned.source === source && planned.mapping === mapping ? planned : null;
  const plan = source && !problem ? (current?.plan ?? null) : null;
  const checkingRows = source !== null && !problem && current === null;
  const ready = plan !== null && plan.problems.length === 0 && plan.points.length > 0;

  const run = async () => {
    if (!plan || !ready) return;
    const all = batches(plan.points, batchSize);
    const total = plan.points.length;
    const control = { requested: false, controller: new AbortController() };
    stop.current = control;
    setUpload({ kind: "running", sent: 0, total, stopping: false });
    let landed = 0;
    for (const [k, b] of all.entries()) {
      if (control.requested) {
        setUpload({ kind: "cancelled", landed, total });
        break;
      }
      try {
        await uploader.send(b.points, method, control.controller.signal);
      } catch (err) {
        setUpload({
          kind: "failed",
          batch: k + 1,
          firstRow: b.firstRow,
          lastRow: b.lastRow,
          landed,
          total,
          message: (err as Error).message,
        });
        break;
      }
      landed = b.lastRow;
      setUpload({ kind: "running", sent: landed, total, stopping: control.requested });
      if (landed === total) setUpload({ kind: "done", total });
    }
    stop.current = null;
    await uploader.finished();
  };

  const requestStop = () => {
    if (!stop.current) return;
    // The batch in flight finishes (the server writes a batch whole or not at all), then we stop.
    stop.current.requested = true;
    setUpload((u) => (u.kind === "running" ? { ...u, stopping: true } : u));
  };

  const running = upload.kind === "running";
  const close = () => {
    requestStop();
    props.onClose();
  };

  return (
    <Dialog open title="Import datapoints" onClose={close} className="ie-dialog">
      <div className="ie-file">
        <label htmlFor={`${id}-file`}>CSV or JSON file</label>
        <input
          id={`${id}-file`}
          type="file"
          accept=".csv,.json,text/csv,application/json"
          disabled={running}
          onChange={(e) => void onFile(e.target.files?.[0])}
        />
        <p className="hint">
          CSV: a header row, then one row per point; a time column (unix seconds or a date), optionally a
          duration in seconds, and either one data column or columns that become fields. JSON: an array of{" "}
          <code>{'{"t": …, "d": …, "dt": …}'}</code>.
        </p>
      </div>
      {readError && (
        <p className="field-error" role="alert">
          Could not read {fileName}: {readError}
        </p>
      )}
      {source && (
        <>
          {source.format === "csv" && (
            <table className="ie-mapping" aria-label="Column mapping">
              <thead>
                <tr>
                  <th scope="col">Column</th>
                  <th scope="col">Becomes</th>
                  <th scope="col">First values</th>
                </tr>
              </thead>
              <tbody>
                {source.columns.map((name, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional and fixed per file.
                  <tr key={i}>
                    <td>
                      <code>{name}</code>
                    </td>
                    <td>
                      <select
                        aria-label={`Column ${name} becomes`}
                        value={mapping[i]?.role ?? "ignore"}
                        disabled={running}
                        onChange={(e) => {
                          const next = [...mapping];
                          const role = e.target.value as ColumnRole;
                          next[i] = { role, field: role === "field" ? mapping[i]?.field || name : "" };
                          setMapping(next);
                        }}
                      >
                        {ROLES.map((r) => (
                          <option key={r.value} value={r.value}>
                            {r.label}
                          </option>
                        ))}
                      </select>
                      {mapping[i]?.role === "field" && (
                        <input
                          aria-label={`Field name for column ${name}`}
                          className="ie-field-name"
                          value={mapping[i]!.field}
                          disabled={running}
                          onChange={(e) => {
                            const next = [...mapping];
                            next[i] = { role: "field", field: e.target.value };
                            setMapping(next);
                          }}
                        />
                      )}
                    </td>
                    <td className="ie-sample">
                      {source.rows
                        .slice(0, 3)
                        .map((r) => String(r[i] ?? ""))
                        .join(", ")}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {problem && (
            <p className="field-error" role="alert">
              {problem}
            </p>
          )}
          {checkingRows && (
            <p role="status" className="hint" data-testid="import-checking">
              Checking {formatCount(source.rows.length)} rows…
            </p>
          )}
          {current?.error && (
            <p className="field-error" role="alert">
              {current.error}
            </p>
          )}
          {plan && (
            <>
              <h4>Preview</h4>
              <ol className="ie-preview" data-testid="import-preview">
                {plan.points.slice(0, PREVIEW_ROWS).map((p) => (
                  <li key={p.t}>
                    <code>{JSON.stringify(p)}</code>
                  </li>
                ))}
              </ol>
              {plan.problems.length > 0 ? (
                <div className="ie-problems" role="alert" data-testid="import-problems">
                  <p>
                    <strong>
                      {plan.problems.length > LISTED_PROBLEMS
                        ? `More than ${LISTED_PROBLEMS} rows`
                        : `${plan.problems.length} ${plan.problems.length === 1 ? "row" : "rows"}`}{" "}
                      failed the checks, so nothing will be imported.
                    </strong>{" "}
                    Fix {plan.problems.length === 1 ? "it" : "them"} in the file and choose it again.
                  </p>
                  <ul>
                    {plan.problems.slice(0, LISTED_PROBLEMS).map((p) => (
                      <li key={p.row}>
                        Row {formatCount(p.row)}
                        {source.format === "csv" ? ` (line ${formatCount(p.line)})` : ""}: {p.message}
                      </li>
                    ))}
                  </ul>
                </div>
              ) : (
                <p role="status" data-testid="import-valid">
                  All {formatCount(plan.points.length)} rows are valid
                  {Object.keys(schema as object).length > 0 ? " against the schema" : ""}.
                </p>
              )}
            </>
          )}
          <div className="ie-options">
            <label>
              Insert method{" "}
              <select
                value={method}
                disabled={running}
                onChange={(e) => setMethod(e.target.value as InsertMethod)}
                aria-describedby={`${id}-method-help`}
              >
                <option value="update">update (replace overlapping points)</option>
                <option value="insert">insert (refuse overlaps)</option>
                <option value="append">append (only after the last point)</option>
              </select>
            </label>
            <label>
              Rows per batch{" "}
              <input
                type="number"
                min={1}
                max={100000}
                value={batchSize}
                disabled={running}
                onChange={(e) =>
                  setBatchSize(Math.max(1, Math.min(100_000, Number(e.target.value) || DEFAULT_BATCH)))
                }
              />
            </label>
          </div>
        </>
      )}
      {upload.kind !== "idle" && (
        <div className="ie-progress">
          <progress
            data-testid="import-progress"
            aria-label="Import progress"
            max={upload.total}
            value={
              upload.kind === "running" ? upload.sent : upload.kind === "done" ? upload.total : upload.landed
            }
          />
          <span role="status" data-testid="import-status">
            {upload.kind === "running" &&
              `${formatCount(upload.sent)} of ${formatCount(upload.total)} rows written${
                upload.stopping ? "; stopping after the batch in flight…" : "…"
              }`}
            {upload.kind === "done" && `Imported all ${formatCount(upload.total)} rows.`}
            {upload.kind === "cancelled" &&
              `Cancelled. ${upload.landed === 0 ? "No rows were written" : `${rowsText(1, upload.landed)} were written`}; the other ${formatCount(upload.total - upload.landed)} rows were not sent.`}
          </span>
        </div>
      )}
      {upload.kind === "failed" && (
        <div className="field-error ie-failed" role="alert" data-testid="import-failed">
          <p>
            <strong>
              Batch {upload.batch} ({rowsText(upload.firstRow, upload.lastRow)}) was refused:
            </strong>{" "}
            {upload.message}
          </p>
          <p>
            {upload.landed === 0
              ? "No rows were written"
              : `${capitalise(rowsText(1, upload.landed))} were written`}
            . Nothing from {rowsText(upload.firstRow, upload.total)} was written: the server accepts or
            rejects a batch as a whole, and the import stopped there.
          </p>
        </div>
      )}
      <div className="dialog-actions">
        {running ? (
          <button type="button" className="ts-button" onClick={requestStop} disabled={upload.stopping}>
            Cancel import
          </button>
        ) : (
          <>
            <button type="button" className="ts-button" onClick={close}>
              {upload.kind === "done" ? "Close" : "Cancel"}
            </button>
            <button
              type="button"
              className="ts-button primary"
              disabled={!ready || upload.kind === "done"}
              onClick={() => void run()}
            >
              Import {plan && ready ? formatCount(plan.points.length) : ""} rows
            </button>
          </>
        )}
      </div>
      <p id={`${id}-method-help`} className="hint">
        update replaces stored points at the same times; insert refuses any overlap; append only accepts
        points after the series' last point.
      </p>
    </Dialog>
  );
}
