/// <reference lib="webworker" />
/**
 * Parses an imported CSV file off the main thread (papaparse, read in chunks), so a large file
 * never freezes the page; the logic is in features/timeseries/model/csv-read.ts.
 */
import { type CsvRead, readCsv } from "../features/timeseries/model/csv-read";
import { serveRpc } from "../shared/worker-rpc";

serveRpc<{ file: File }, CsvRead>(self as unknown as DedicatedWorkerGlobalScope, ({ file }) => readCsv(file));
