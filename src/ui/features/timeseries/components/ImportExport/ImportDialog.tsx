import { useEffect, useId, useMemo, useRef, useState } from "react";
import type { HeedyObject, InsertMethod } from "../../../../../client/index";
import { Dialog } from "../../../../shared/components/Dialog";
import { formatCount } from "../../../../shared/time/format";
import { readCsvFile } from "../../api/csv-file";
import { useImportUpload } from "../../api/series";
import {
  batches,
  type ColumnMapping,
  type ColumnRole,
  csvSource,
  guessMapping,
  type ImportPlan,
  type ImportSource,
  mappingProblem,
  planImport,
  type RowProblem,
  readSource,
  skippedRowsCsv,
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

function linesText(p: RowProblem): string {
  return p.endLine > p.line
    ? `lines ${formatCount(p.line)}–${formatCount(p.endLine)}`
    : `line ${formatCount(p.line)}`;
}

/** JSON by name, or by a first character of `[`; everything else is read as CSV. */
async function isJsonFile(file: File): Promise<boolean> {
  if (file.name.toLowerCase().endsWith(".json")) return true;
  return (await file.slice(0, 256).text()).trimStart().startsWith("[");
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
  const [sortRows, setSortRows] = useState(false);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [reading, setReading] = useState(false);
  const stop = useRef<{ requested: boolean; controller: AbortController } | null>(null);
  const schema = (object.meta as { schema?: unknown }).schema ?? {};

  const onFile = async (file: File | undefined) => {
    setUpload({ kind: "idle" });
    setSource(null);
    setReadError(null);
    if (!file) return;
    setFileName(file.name);
    setSkipInvalid(false);
    setReading(true);
    try {
      // CSV is parsed in the CSV worker, chunk by chunk; JSON needs the whole text anyway.
      const s = (await isJsonFile(file))
        ? readSource(file.name, await file.text())
        : csvSource(await readCsvFile(file));
      setSource(s);
      setMapping(guessMapping(s));
    } catch (err) {
      setReadError((err as Error).message);
    } finally {
      setReading(false);
    }
  };

  const problem = source ? mappingProblem(mapping) : null;
  // The rows are checked in the schema worker; a new file or mapping drops the check under way.
  const [planned, setPlanned] = useState<{
    source: ImportSource;
    mapping: ColumnMapping[];
    sort: boolean;
    plan: ImportPlan | null;
    error?: string;
  } | null>(null);
  const schemaKey = JSON.stringify(schema);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the schema is compared by content.
  useEffect(() => {
    if (!source || problem) return;
    const controller = new AbortController();
    const sort = sortRows;
    planImport(source, mapping, schema, LISTED_PROBLEMS, controller.signal, { sort }).then(
      (plan) => setPlanned({ source, mapping, sort, plan }),
      (err: Error) => {
        if (!controller.signal.aborted)
          setPlanned({
            source,
            mapping,
            sort,
            plan: null,
            error: `The rows could not be checked: ${err.message}`,
          });
      },
    );
    return () => controller.abort();
  }, [source, mapping, problem, schemaKey, sortRows]);
  const current =
    planned && planned.source === source && planned.mapping === mapping && planned.sort === sortRows
      ? planned
      : null;
  const plan = source && !problem ? (current?.plan ?? null) : null;
  const checkingRows = source !== null && !problem && current === null;
  const ready = plan !== null && plan.points.length > 0 && (plan.invalid === 0 || skipInvalid);
  // The skipped rows as a file to fix and import on their own.
  const skippedUrl = useMemo(() => {
    if (!plan || !source || plan.invalid === 0) return null;
    return URL.createObjectURL(new Blob([skippedRowsCsv(source, plan)], { type: "text/csv" }));
  }, [plan, source]);
  useEffect(() => () => (skippedUrl ? URL.revokeObjectURL(skippedUrl) : undefined), [skippedUrl]);

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
      {reading && (
        <p role="status" className="hint" data-testid="import-reading">
          Reading {fileName}…
        </p>
      )}
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
          {source.fileProblems?.map((p) => (
            <p key={p} className="field-error" role="alert">
              {p}
            </p>
          ))}
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
              <h3 className="label-title">Preview</h3>
              <ol className="ie-preview" data-testid="import-preview">
                {plan.points.slice(0, PREVIEW_ROWS).map((p) => (
                  <li key={p.t}>
                    <code>{JSON.stringify(p)}</code>
                  </li>
                ))}
              </ol>
              {plan.invalid > 0 ? (
                <div className="ie-problems" role="alert" data-testid="import-problems">
                  <p>
                    <strong>
                      {formatCount(plan.invalid)} {plan.invalid === 1 ? "row" : "rows"} failed the checks
                      {skipInvalid
                        ? ` and will be skipped; the other ${formatCount(plan.points.length)} will be imported.`
                        : ", so nothing will be imported yet."}
                    </strong>{" "}
                    {skipInvalid ? "" : "Fix the file and choose it again, or skip them below."}
                  </p>
                  <ul>
                    {plan.problems.map((p) => (
                      <li key={p.row}>
                        Row {formatCount(p.row)}
                        {source.format === "csv" ? ` (${linesText(p)})` : ""}: {p.message}
                      </li>
                    ))}
                    {plan.invalid > plan.problems.length && (
                      <li>…and {formatCount(plan.invalid - plan.problems.length)} more (in the download).</li>
                    )}
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
          <div className="ie-options ie-fixes">
            <label>
              <input
                type="checkbox"
                checked={sortRows}
                disabled={running}
                onChange={(e) => setSortRows(e.target.checked)}
              />{" "}
              Sort by time
            </label>
            {plan && plan.invalid > 0 && plan.points.length > 0 && (
              <label>
                <input
                  type="checkbox"
                  checked={skipInvalid}
                  disabled={running}
                  onChange={(e) => setSkipInvalid(e.target.checked)}
                />{" "}
                Skip invalid rows ({formatCount(plan.invalid)})
              </label>
            )}
            {skippedUrl && (
              <a href={skippedUrl} download={`${fileName.replace(/\.[^.]*$/, "") || "import"}-skipped.csv`}>
                Download the {plan && plan.invalid === 1 ? "invalid row" : "invalid rows"}
              </a>
            )}
          </div>
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
