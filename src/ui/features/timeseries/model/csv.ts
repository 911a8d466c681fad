/**
 * CSV in and out (RFC 4180: quoted fields, doubled quotes, CRLF or LF line ends).
 *
 * The `d` column holds the value as text: a string is written as it is, unless it would read back
 * as another JSON value (`5`, `true`, `null`, `"x"`, `{...}`), in which case it is JSON-quoted;
 * everything else is JSON. Reading parses the text as JSON when it can and keeps it as a string
 * otherwise, so exported files import back to the same values.
 */
import type { Datapoint } from "../../../../core/resources";

export function csvField(text: string): string {
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

function readsAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export function dataToText(d: unknown): string {
  if (typeof d === "string") return readsAsJson(d) || d === "" ? JSON.stringify(d) : d;
  return JSON.stringify(d) ?? "null";
}

export function textToData(text: string): unknown {
  if (text === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export const CSV_HEADER = "t,dt,d\r\n";

export function csvRows(points: readonly Datapoint[]): string {
  let out = "";
  for (const p of points) out += `${p.t},${p.dt ?? 0},${csvField(dataToText(p.d))}\r\n`;
  return out;
}

/** Parses CSV text into rows of fields. Throws with the line number on an unterminated quote. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  let line = 1;
  const n = text.length;
  let quotedStartLine = 0;
  // Skip a byte-order mark.
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  let inQuotes = false;
  let fieldStarted = false;
  while (i < n) {
    const c = text[i]!;
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        i++;
        continue;
      }
      if (c === "\n") line++;
      field += c;
      i++;
      continue;
    }
    if (c === '"' && !fieldStarted) {
      inQuotes = true;
      fieldStarted = true;
      quotedStartLine = line;
      i++;
      continue;
    }
    if (c === ",") {
      row.push(field);
      field = "";
      fieldStarted = false;
      i++;
      continue;
    }
    if (c === "\r" || c === "\n") {
      row.push(field);
      if (!(row.length === 1 && row[0] === "")) rows.push(row);
      row = [];
      field = "";
      fieldStarted = false;
      if (c === "\r" && text[i + 1] === "\n") i++;
      i++;
      line++;
      continue;
    }
    field += c;
    fieldStarted = true;
    i++;
  }
  if (inQuotes) throw new Error(`A quoted field starting on line ${quotedStartLine} never ends.`);
  if (fieldStarted || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * Object series export with one column per field (`d.<name>`), which the import maps back to
 * fields: a missing field is an empty cell, a present one its value as in the `d` column.
 */
export function fieldsHeader(fields: readonly string[]): string {
  return `t,dt,${fields.map((f) => csvField(`d.${f}`)).join(",")}\r\n`;
}

export function csvFieldRows(points: readonly Datapoint[], fields: readonly string[]): string {
  let out = "";
  for (const p of points) {
    const d = p.d as Record<string, unknown>;
    out += `${p.t},${p.dt ?? 0}`;
    for (const f of fields) out += `,${Object.hasOwn(d, f) ? csvField(dataToText(d[f])) : ""}`;
    out += "\r\n";
  }
  return out;
}

export function isPlainObject(d: unknown): d is Record<string, unknown> {
  return typeof d === "object" && d !== null && !Array.isArray(d);
}
