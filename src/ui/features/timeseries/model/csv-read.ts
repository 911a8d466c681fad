/**
 * Reads a CSV file for import with papaparse (a maintained RFC 4180 parser), row by row: the file
 * is read in chunks, never as one string. Every row knows the lines of the file it spans, so a
 * quoted field that runs over several lines shifts the numbers of the rows after it correctly, and
 * a quote left open is reported with the lines it swallowed. Runs in the CSV worker
 * (workers/csv.worker.ts); unit tests call it with a string.
 */
import Papa from "papaparse";

export interface CsvFileProblem {
  /** 0-based index of the data row (header excluded) the problem belongs to; -1 for the header. */
  rowIndex: number;
  line: number;
  endLine: number;
  message: string;
}

export interface CsvRead {
  columns: string[];
  /** Data rows (header excluded, empty lines left out). */
  rows: string[][];
  /** First and last line of the file each row spans (1-based). */
  lines: number[];
  endLines: number[];
  /** Quote problems found by the parser, at the row they belong to. */
  problems: CsvFileProblem[];
}

/** Line breaks inside a row's fields: each one pushes every later row a line down. */
function lineBreaks(fields: readonly string[]): number {
  let n = 0;
  for (const f of fields) {
    for (let i = 0; i < f.length; i++) {
      const c = f.charCodeAt(i);
      if (c === 10) n++;
      // A CR counts alone, or as one break with the LF after it.
      else if (c === 13 && f.charCodeAt(i + 1) !== 10) n++;
    }
  }
  return n;
}

function quoteMessage(code: string, line: number, endLine: number, last: boolean): string {
  if (code === "MissingQuotes") {
    const span = endLine > line ? `lines ${line}–${endLine}` : `line ${line}`;
    return last
      ? `a quoted field opened on line ${line} never closes, so it swallowed ${span}, to the end of the file`
      : `a quoted field opened on line ${line} never closes; it swallowed ${span}`;
  }
  if (code === "InvalidQuotes") return `a quoted field has text after its closing quote (line ${line})`;
  return `the quotes of line ${line} cannot be read`;
}

/** The row-by-row state of one read: papaparse's `step` feeds it, `finish` completes it. */
function collector() {
  const out: CsvRead = { columns: [], rows: [], lines: [], endLines: [], problems: [] };
  let header = true;
  let line = 1;
  let openQuote: { rowIndex: number; line: number } | null = null;
  return {
    step(result: Papa.ParseStepResult<string[]>) {
      const fields = result.data;
      const start = line;
      let end = start + lineBreaks(fields);
      line = end + 1;
      // An open quote runs to the end of the file; the file's final line break ends no line of it.
      if (result.errors.some((e) => e.code === "MissingQuotes") && fields.length > 0) {
        const tail = fields[fields.length - 1]!.match(/(\r\n|\r|\n)+$/)?.[0] ?? "";
        end -= lineBreaks([tail]);
      }
      const empty = fields.length === 0 || (fields.length === 1 && fields[0] === "");
      const rowIndex = header ? -1 : out.rows.length;
      for (const e of result.errors) {
        if (e.type !== "Quotes") continue;
        if (e.code === "MissingQuotes") openQuote = { rowIndex, line: start };
        out.problems.push({
          rowIndex,
          line: start,
          endLine: end,
          message: quoteMessage(e.code, start, end, false),
        });
      }
      if (empty && result.errors.length === 0) return;
      if (header) {
        header = false;
        out.columns = fields.map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, "") : h).trim());
        return;
      }
      out.rows.push(fields);
      out.lines.push(start);
      out.endLines.push(end);
    },
    finish(): CsvRead {
      // A quote still open at the end swallowed everything after it: say so.
      const open = openQuote as { rowIndex: number; line: number } | null;
      const last = out.problems.at(-1);
      if (open && last && last.rowIndex === open.rowIndex && last.line === open.line) {
        last.message = quoteMessage("MissingQuotes", open.line, last.endLine, true);
      }
      if (out.columns.length === 0) throw new Error("The file is empty.");
      return out;
    },
  };
}

/** Reads CSV text at once (papaparse parses strings synchronously, row by row). */
export function readCsvText(text: string): CsvRead {
  const c = collector();
  Papa.parse<string[]>(text, { header: false, skipEmptyLines: false, step: c.step });
  return c.finish();
}

/** Reads a file in 1 MiB chunks (in the CSV worker). Rejects with the reader's error. */
export function readCsv(input: File | string): Promise<CsvRead> {
  if (typeof input === "string") return Promise.resolve().then(() => readCsvText(input));
  return new Promise((resolve, reject) => {
    const c = collector();
    Papa.parse<string[], File>(input, {
      header: false,
      skipEmptyLines: false,
      chunkSize: 1 << 20,
      step: c.step,
      complete: () => {
        try {
          resolve(c.finish());
        } catch (err) {
          reject(err);
        }
      },
      error: (err: Error) => reject(err),
    });
  });
}
