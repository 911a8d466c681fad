/**
 * The import dialog's CSV reader: papaparse in the CSV worker (workers/csv.worker.ts). Without
 * workers (unit tests under jsdom) the same code runs here.
 */
import { lazyWorkerRpc } from "../../../shared/worker-rpc";
import { type CsvRead, readCsv } from "../model/csv-read";

const csvWorker = lazyWorkerRpc<{ file: File }, CsvRead>(
  () => new Worker(new URL("../../../workers/csv.worker.ts", import.meta.url), { type: "module" }),
  "The CSV reader",
);

export function readCsvFile(file: File, signal?: AbortSignal): Promise<CsvRead> {
  if (typeof Worker === "undefined") return readCsv(file);
  return csvWorker().call({ file }, { signal });
}
