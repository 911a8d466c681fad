/**
 * Import: turns a CSV or JSON file into datapoints through a column mapping, checks every row
 * before anything is sent (time, duration, the schema with the server's ajv code in the schema
 * worker, order), and plans the upload in batches.
 */
import { parseDateString } from "../../../../client/times";
import type { Datapoint } from "../../../../core/resources";
import { checkData, type DataProblem } from "../../../shared/schema/schema-checks";
import { parseCsv, textToData } from "./csv";

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
  const all = parseCsv(text);
  if (all.length === 0) throw new Error("The file is empty.");
  const [header, ...rows] = all;
  const lines = rows.map((_, i) => i + 2);
  return { format: "csv", columns: header!.map((h) => h.trim()), rows, lines };
}

/** A first guess at each column's meaning from its name. */
export function guessMapping(source: ImportSource): ColumnMapping[] {
  const seen = new Set<ColumnRole>();
  return source.columns.map((name) => {
    const n = name.toLowerCase();
    const pick = (role: ColumnRole): ColumnMapping => {
      seen.add(role);
      return { role, field: "" };
    };
    if (!seen.has("t") && ["t", "time", "timestamp", "date", "datetime"].includes(n)) return pick("t");
    if (!seen.has("dt") && ["dt", "duration"].includes(n)) return pick("dt");
    if (!seen.has("d") && ["d", "data", "value"].includes(n)) return pick("d");
    if (n.startsWith("d.")) return { role: "field", field: name.slice(2) };
    if (source.format === "json") return { role: "ignore", field: "" };
    return { role: "field", field: name };
  });
}

export interface RowProblem {
  /** Row number in the data (1-based, header excluded). */
  row: number;
  /** Line in the file (CSV) or array position (JSON), 1-based. */
  line: number;
  message: string;
}

export interface ImportPlan {
  points: Datapoint[];
  problems: RowProblem[];
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
  | { row: number; line: number; problem: string }
  | { row: number; line: number; t: number; dt: number; d: unknown };

/**
 * Builds every row and checks it: every value goes through the schema check, CHECK_BATCH at a
 * time. Problems name the row; at most `limit` are listed. Rejects with an AbortError when
 * `signal` is aborted between slices.
 */
export async function planImport(
  source: ImportSource,
  mapping: readonly ColumnMapping[],
  schema: unknown,
  limit = 1000,
  signal?: AbortSignal,
): Promise<ImportPlan> {
  const tCol = mapping.findIndex((m) => m.role === "t");
  const dtCol = mapping.findIndex((m) => m.role === "dt");
  const dCol = mapping.findIndex((m) => m.role === "d");
  const fieldCols = mapping.flatMap((m, i) => (m.role === "field" ? [[i, m.field.trim()] as const] : []));

  // 1. Time, duration and data of every row.
  const built: BuiltRow[] = source.rows.map((row, index): BuiltRow => {
    const rowNo = index + 1;
    const line = source.lines[index] ?? rowNo;
    const t = parseTimeCell(row[tCol]);
    if (t === undefined)
      return {
        row: rowNo,
        line,
        problem: `the time ${JSON.stringify(row[tCol] ?? "")} is not a unix time or a date`,
      };
    const dt = dtCol < 0 ? 0 : parseDtCell(row[dtCol]);
    if (dt === null || dt === undefined || dt < 0)
      return {
        row: rowNo,
        line,
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
    return { row: rowNo, line, t, dt, d };
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

  // 3. In file order: the first problem of each row, then order and overlap (contract 8.7 step 4).
  const points: Datapoint[] = [];
  const problems: RowProblem[] = [];
  const fail = (b: BuiltRow, message: string) => {
    if (problems.length < limit) problems.push({ row: b.row, line: b.line, message });
  };
  let k = 0;
  let prevT = Number.NEGATIVE_INFINITY;
  let prevEnd = Number.NEGATIVE_INFINITY;
  let prevDt = 0;
  for (const b of built) {
    if (!("t" in b)) {
      fail(b, b.problem);
      continue;
    }
    const verdict = verdicts[k++];
    if (verdict) {
      fail(b, `the data ${truncate(JSON.stringify(b.d))} fails the schema: ${problemText(verdict)}`);
      continue;
    }
    const { t, dt, d } = b;
    if (t <= prevT || (prevDt > 0 && t < prevEnd)) {
      fail(
        b,
        prevDt > 0 && t < prevEnd
          ? "starts inside the duration of the row before; rows must not overlap"
          : "is not later than the row before; rows must be in increasing time order",
      );
      continue;
    }
    prevT = t;
    prevDt = dt;
    prevEnd = t + dt;
    points.push(dt > 0 ? { t, dt, d } : { t, d });
  }
  return { points, problems };
}

function truncate(text: string | undefined): string {
  const s = text ?? "null";
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
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
