/**
 * Import: turns a CSV or JSON file into datapoints through a column mapping, checks every row
 * before anything is sent (time, duration, the schema with the server's ajv code in the schema
 * worker, order), and plans the upload in batches.
 */
import { parseDateString } from "../../../../client/times";
import type { Datapoint } from "../../../../core/resources";
import { checkData, type DataProblem } from "../../../shared/schema/schema-checks";
import { csvField, dataToText, textToData } from "./csv";
import { type CsvRead, readCsvText } from "./csv-read";

/** Values per schema-worker call: large files are checked in slices, not in one huge message. */
export const CHECK_BATCH = 10_000;

export type ColumnRole = "t" | "dt" | "d" | "field" | "ignore";

export interface ColumnMapping {
  role: ColumnRole;
  /** For `field`: the property name inside `d`. */
  field: string;
}

export interface ImportSource {
  format: "csv" | "json";
  /** Column names (CSV header; for JSON: t, dt, d). */
  columns: string[];
  /** Raw rows: strings for CSV, parsed values for JSON. */
  rows: unknown[][];
  /** 1-based line of each row in the file (CSV), or its position in the array (JSON). */
  lines: number[];
  /** Last line each row spans (CSV: a quoted field may run over several lines). */
  endLines?: number[];
  /** Problems the parser found in a row (an open quote...), by row index: the row is invalid. */
  rowProblems?: Map<number, string>;
  /** Problems outside the data rows (the header), shown above the rows'. */
  fileProblems?: string[];
}

/** An ImportSource from a CSV read (csv-read.ts, in the CSV worker or inline). */
export function csvSource(read: CsvRead): ImportSource {
  const rowProblems = new Map<number, string>();
  const fileProblems: string[] = [];
  for (const p of read.problems) {
    if (p.rowIndex < 0) fileProblems.push(`The header: ${p.message}.`);
    else if (!rowProblems.has(p.rowIndex)) rowProblems.set(p.rowIndex, p.message);
  }
  return {
    format: "csv",
    columns: read.columns,
    rows: read.rows,
    lines: read.lines,
    endLines: read.endLines,
    rowProblems,
    fileProblems,
  };
}

export function readSource(name: string, text: string): ImportSource {
  const trimmed = text.trimStart();
  const json = name.toLowerCase().endsWith(".json") || trimmed.startsWith("[");
  if (json) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new Error(`The file is not valid JSON: ${(err as Error).message}`);
    }
    if (!Array.isArray(parsed)) throw new Error("A JSON import must be an array of {t, d, dt} objects.");
    const rows: unknown[][] = [];
    const lines: number[] = [];
    parsed.forEach((p, i) => {
      const o = typeof p === "object" && p !== null ? (p as Record<string, unknown>) : {};
      rows.push([o.t, o.dt, "d" in o ? o.d : undefined]);
      lines.push(i + 1);
    });
    return { format: "json", columns: ["t", "dt", "d"], rows, lines };
  }
  return csvSource(readCsvText(text));
}

/** The column the list of skipped rows adds; an import of that file ignores it. */
export const PROBLEM_COLUMN = "import_problem";

/**
 * A first guess at each column's meaning from its name, one the checks accept: with a data column,
 * the other columns are ignored (a data column and field columns cannot mix).
 */
export function guessMapping(source: ImportSource): ColumnMapping[] {
  const seen = new Set<ColumnRole>();
  const hasData = source.columns.some((c) => ["d", "data", "value"].includes(c.toLowerCase()));
  return source.columns.map((name) => {
    const n = name.toLowerCase();
    const pick = (role: ColumnRole): ColumnMapping => {
      seen.add(role);
      return { role, field: "" };
    };
    if (!seen.has("t") && ["t", "time", "timestamp", "date", "datetime"].includes(n)) return pick("t");
    if (!seen.has("dt") && ["dt", "duration"].includes(n)) return pick("dt");
    if (!seen.has("d") && ["d", "data", "value"].includes(n)) return pick("d");
    if (hasData || n === PROBLEM_COLUMN || source.format === "json") return { role: "ignore", field: "" };
    if (n.startsWith("d.")) return { role: "field", field: name.slice(2) };
    return { role: "field", field: name };
  });
}

export interface RowProblem {
  /** Row number in the data (1-based, header excluded). */
  row: number;
  /** Line in the file (CSV) or array position (JSON), 1-based. */
  line: number;
  /** Last line of the row, when it spans several. */
  endLine: number;
  message: string;
}

export interface ImportPlan {
  /** The valid rows' points, in time order. */
  points: Datapoint[];
  /** The first `limit` invalid rows, in file order. */
  problems: RowProblem[];
  /** How many rows are invalid (and would be skipped). */
  invalid: number;
  /** Indices (0-based, into `source.rows`) of every invalid row, with its message. */
  skipped: { index: number; message: string }[];
}

export interface PlanOptions {
  /** Order the rows by time first, instead of reporting rows out of order. */
  sort?: boolean;
}

function parseTimeCell(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string" || value.trim() === "") return undefined;
  return parseDateString(value.trim());
}

function parseDtCell(value: unknown): number | undefined | null {
  if (value === undefined || value === null || value === "") return 0;
  const n = typeof value === "number" ? value : Number(String(value).trim());
  return Number.isFinite(n) ? n : null;
}

function cellData(source: ImportSource, value: unknown): unknown {
  return source.format === "csv" ? textToData(String(value ?? "")) : value;
}

export function mappingProblem(mapping: readonly ColumnMapping[]): string | null {
  if (!mapping.some((m) => m.role === "t")) return "Choose which column holds the time.";
  const hasD = mapping.some((m) => m.role === "d");
  const hasFields = mapping.some((m) => m.role === "field");
  if (!hasD && !hasFields) return "Choose a data column, or columns that become fields of the data.";
  if (hasD && hasFields) return "Use either one data column or field columns, not both.";
  if (mapping.filter((m) => m.role === "t").length > 1) return "Only one column can be the time.";
  if (mapping.filter((m) => m.role === "dt").length > 1) return "Only one column can be the duration.";
  if (mapping.some((m) => m.role === "field" && m.field.trim() === ""))
    return "Every field column needs a name.";
  return null;
}

/** Where in the value a problem is, as `a.b ` (empty for the value itself). */
function problemText(p: DataProblem): string {
  const where = p.path
    ? `${p.path
        .slice(1)
        .split("/")
        .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"))
        .join(".")} `
    : "";
  return `${where}${p.message}`;
}

type BuiltRow =
  | { index: number; row: number; line: number; endLine: number; problem: string }
  | { index: number; row: number; line: number; endLine: number; t: number; dt: number; d: unknown };

/**
 * Builds every row and checks it: every value goes through the schema check, CHECK_BATCH at a
 * time; then time order and overlaps, after sorting by time when asked. Problems name the row and
 * its lines; at most `limit` are listed, all are counted. Rejects with an AbortError when
 * `signal` is aborted between slices.
 */
export async function planImport(
  source: ImportSource,
  mapping: readonly ColumnMapping[],
  schema: unknown,
  limit = 1000,
  signal?: AbortSignal,
  options: PlanOptions = {},
): Promise<ImportPlan> {
  const tCol = mapping.findIndex((m) => m.role === "t");
  const dtCol = mapping.findIndex((m) => m.role === "dt");
  const dCol = mapping.findIndex((m) => m.role === "d");
  const fieldCols = mapping.flatMap((m, i) => (m.role === "field" ? [[i, m.field.trim()] as const] : []));

  // 1. Time, duration and data of every row.
  const built: BuiltRow[] = source.rows.map((row, index): BuiltRow => {
    const rowNo = index + 1;
    const line = source.lines[index] ?? rowNo;
    const at = { index, row: rowNo, line, endLine: source.endLines?.[index] ?? line };
    const parsed = source.rowProblems?.get(index);
    if (parsed !== undefined) return { ...at, problem: parsed };
    const t = parseTimeCell(row[tCol]);
    if (t === undefined)
      return { ...at, problem: `the time ${JSON.stringify(row[tCol] ?? "")} is not a unix time or a date` };
    const dt = dtCol < 0 ? 0 : parseDtCell(row[dtCol]);
    if (dt === null || dt === undefined || dt < 0)
      return {
        ...at,
        problem: `the duration ${JSON.stringify(row[dtCol])} is not a number of seconds of 0 or more`,
      };
    let d: unknown;
    if (dCol >= 0) d = cellData(source, row[dCol]);
    else {
      const o: Record<string, unknown> = {};
      for (const [col, name] of fieldCols) {
        const cell = row[col];
        if (cell === undefined || cell === "") continue;
        o[name] = cellData(source, cell);
      }
      d = o;
    }
    return { ...at, t, dt, d };
  });

  // 2. The schema, over every value.
  const valued = built.filter((b): b is Extract<BuiltRow, { t: number }> => "t" in b);
  const verdicts: (DataProblem | null)[] = [];
  for (let i = 0; i < valued.length; i += CHECK_BATCH) {
    signal?.throwIfAborted();
    verdicts.push(
      ...(await checkData(
        schema,
        valued.slice(i, i + CHECK_BATCH).map((b) => b.d),
      )),
    );
  }
  signal?.throwIfAborted();

  // 3. The first problem of each row; then order and overlap (contract 8.7 step 4), in file order
  // or, when asked, in time order (a stable sort keeps equal times in file order).
  const failures = new Map<number, string>();
  const fine: Extract<BuiltRow, { t: number }>[] = [];
  let k = 0;
  for (const b of built) {
    if (!("t" in b)) {
      failures.set(b.index, b.problem);
      continue;
    }
    const verdict = verdicts[k++];
    if (verdict)
      failures.set(
        b.index,
        `the data ${truncate(JSON.stringify(b.d))} fails the schema: ${problemText(verdict)}`,
      );
    else fine.push(b);
  }
  if (options.sort) fine.sort((a, b) => a.t - b.t);
  const points: Datapoint[] = [];
  let prevT = Number.NEGATIVE_INFINITY;
  let prevEnd = Number.NEGATIVE_INFINITY;
  let prevDt = 0;
  let prevRow = 0;
  for (const b of fine) {
    const { t, dt, d } = b;
    if (t <= prevT || (prevDt > 0 && t < prevEnd)) {
      failures.set(
        b.index,
        prevDt > 0 && t < prevEnd
          ? "starts inside the duration of the row before; rows must not overlap"
          : options.sort
            ? `has the same time as row ${formatRow(prevRow)}`
            : "is not later than the row before; rows must be in increasing time order",
      );
      continue;
    }
    prevT = t;
    prevDt = dt;
    prevEnd = t + dt;
    prevRow = b.row;
    points.push(dt > 0 ? { t, dt, d } : { t, d });
  }
  const skipped = [...failures.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([index, message]) => ({ index, message }));
  const problems: RowProblem[] = skipped.slice(0, limit).map(({ index, message }) => {
    const b = built[index]!;
    return { row: b.row, line: b.line, endLine: b.endLine, message };
  });
  return { points, problems, invalid: skipped.length, skipped };
}

function formatRow(row: number): string {
  return row.toLocaleString("en-US");
}

function truncate(text: string | undefined): string {
  const s = text ?? "null";
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
}

/**
 * The skipped rows as a CSV file: the original header and cells, plus why each was skipped, so
 * they can be fixed and imported on their own (the import ignores that last column).
 */
export function skippedRowsCsv(source: ImportSource, plan: ImportPlan): string {
  const cell = (v: unknown) => csvField(source.format === "csv" ? String(v ?? "") : dataToText(v));
  let out = `${[...source.columns, PROBLEM_COLUMN].map((c) => csvField(c)).join(",")}\r\n`;
  for (const { index, message } of plan.skipped) {
    const row = source.rows[index] ?? [];
    const cells = source.columns.map((_, i) => cell(row[i]));
    const lines = source.lines[index];
    const where = source.format === "csv" && lines !== undefined ? `line ${lines}: ` : "";
    out += `${[...cells, csvField(where + message)].join(",")}\r\n`;
  }
  return out;
}

export interface Batch {
  /** 1-based data rows covered, inclusive. */
  firstRow: number;
  lastRow: number;
  points: Datapoint[];
}

export function batches(points: readonly Datapoint[], size: number): Batch[] {
  const out: Batch[] = [];
  for (let i = 0; i < points.length; i += size) {
    const slice = points.slice(i, i + size);
    out.push({ firstRow: i + 1, lastRow: i + slice.length, points: slice });
  }
  return out;
}
