/**
 * Import: turns a CSV or JSON file into datapoints through a column mapping, checks every row
 * before anything is sent (time, duration, the schema with the server's ajv code, order), and
 * plans the upload in batches.
 */
import { parseDateString } from "../../../client/times";
import type { Datapoint } from "../../../core/resources";
import { parseCsv, textToData } from "./csv";
import { rowChecker } from "./schema-check";

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
  /**
   * False when the schema was checked by the fallback interpreter (ajv cannot compile under the
   * app's CSP); the server still checks every batch in full.
   */
  exactSchemaCheck: boolean;
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

/**
 * Builds every row and checks it. Problems name the row; at most `limit` are listed (the count of
 * the rest is still reported by the caller from `problems.length` only up to that limit).
 */
export function planImport(
  source: ImportSource,
  mapping: readonly ColumnMapping[],
  schema: unknown,
  limit = 1000,
): ImportPlan {
  const points: Datapoint[] = [];
  const problems: RowProblem[] = [];
  const checker = rowChecker(schema);
  const tCol = mapping.findIndex((m) => m.role === "t");
  const dtCol = mapping.findIndex((m) => m.role === "dt");
  const dCol = mapping.findIndex((m) => m.role === "d");
  const fieldCols = mapping.flatMap((m, i) => (m.role === "field" ? [[i, m.field.trim()] as const] : []));
  let prevT = Number.NEGATIVE_INFINITY;
  let prevEnd = Number.NEGATIVE_INFINITY;
  let prevDt = 0;
  source.rows.forEach((row, index) => {
    const rowNo = index + 1;
    const line = source.lines[index] ?? rowNo;
    const fail = (message: string) => {
      if (problems.length < limit) problems.push({ row: rowNo, line, message });
    };
    const t = parseTimeCell(row[tCol]);
    if (t === undefined) {
      fail(`the time ${JSON.stringify(row[tCol] ?? "")} is not a unix time or a date`);
      return;
    }
    const dt = dtCol < 0 ? 0 : parseDtCell(row[dtCol]);
    if (dt === null || dt === undefined || dt < 0) {
      fail(`the duration ${JSON.stringify(row[dtCol])} is not a number of seconds of 0 or more`);
      return;
    }
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
    const reason = checker ? checker.check(d) : null;
    if (reason !== null) {
      fail(`the data ${truncate(JSON.stringify(d))} fails the schema: ${reason}`);
      return;
    }
    // Contract 8.7 step 4: increasing timestamps, durations that do not overlap the next point.
    if (t <= prevT || (prevDt > 0 && t < prevEnd)) {
      fail(
        prevDt > 0 && t < prevEnd
          ? "starts inside the duration of the row before; rows must not overlap"
          : "is not later than the row before; rows must be in increasing time order",
      );
      return;
    }
    prevT = t;
    prevDt = dt;
    prevEnd = t + dt;
    points.push(dt > 0 ? { t, dt, d } : { t, d });
  });
  return { points, problems, exactSchemaCheck: checker?.exact ?? true };
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
