/**
 * The timeseries figures measured the same way on every store: each takes a running bench
 * server and returns numbers; the store's bench module reports them against its budgets.
 */
import { BATCH, type BenchServer, batchBody } from "./bench-server.js";
import { gc, median, now } from "./bench-util.js";

/** The figures printed side by side for SQLite and PostgreSQL. */
export interface StoreFigures {
  /** Points/s of 1M points posted in 10k-point batches, one request at a time. */
  ingestRate: number;
  /** ingestRate over the store's raw baseline of the same rows (better-sqlite3 INSERT, COPY). */
  ingestVsRaw: number;
  /** Bytes per point of the 1M-point series on disk. */
  diskPerPoint: number;
  /** Median ms of a full read of the 1M-point series, to the last byte. */
  fullReadMs: number;
  /** p50 ms of the last hour of the big series, parsed by the client. */
  lastHourMs?: number;
  /** p50 ms of the big series plotted to 2,000 columns. */
  plotMs?: number;
}

export async function newSeries(server: BenchServer, name: string): Promise<string> {
  return (await server.json<{ id: string }>("POST", "/api/objects", { name, type: "timeseries" })).id;
}

export async function postBatch(server: BenchServer, id: string, body: string | Buffer): Promise<void> {
  const res = await server.request("POST", `/api/objects/${id}/timeseries`, body);
  if (!res.ok) throw new Error(`insert failed: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
}

/** Posts n sensor points in 10k-point batches built beforehand; returns points/s. */
export async function timedIngest(
  server: BenchServer,
  id: string,
  n: number,
  start: number,
): Promise<number> {
  const bodies: string[] = [];
  for (let i = 0; i < n; i += BATCH) bodies.push(batchBody(i, Math.min(BATCH, n - i), start));
  gc();
  const t0 = now();
  for (const body of bodies) await postBatch(server, id, body);
  return (n / (now() - t0)) * 1000;
}

/** Loads a big series batch by batch (bodies built on the way); returns seconds taken. */
export async function loadSeries(server: BenchServer, id: string, n: number, start: number): Promise<number> {
  const t0 = now();
  for (let i = 0; i < n; i += BATCH) await postBatch(server, id, batchBody(i, Math.min(BATCH, n - i), start));
  return (now() - t0) / 1000;
}

/**
 * Median time of a full read, as the client receiving every byte (not parsing it: the budget is
 * the server's). Checked once for its point count first.
 */
export async function fullRead(
  server: BenchServer,
  id: string,
  n: number,
  reps = 5,
): Promise<{ ms: number; bytes: number }> {
  const check = (await (await server.request("GET", `/api/objects/${id}/timeseries`)).json()) as unknown[];
  if (check.length !== n) throw new Error(`full read returned ${check.length} points, not ${n}`);
  const times: number[] = [];
  let bytes = 0;
  for (let rep = 0; rep < reps; rep++) {
    const t0 = now();
    const res = await server.request("GET", `/api/objects/${id}/timeseries`);
    const reader = res.body!.getReader();
    bytes = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
    }
    times.push(now() - t0);
  }
  return { ms: median(times), bytes };
}

/** p50 of `GET …/timeseries?t1=now-1h`, parsed by the client. */
export async function lastHour(
  server: BenchServer,
  id: string,
  reps = 200,
): Promise<{ p50: number; count: number }> {
  const times: number[] = [];
  let count = 0;
  for (let rep = 0; rep < reps; rep++) {
    const t0 = now();
    const res = await server.request("GET", `/api/objects/${id}/timeseries?t1=now-1h`);
    const pts = (await res.json()) as unknown[];
    times.push(now() - t0);
    count = pts.length;
  }
  return { p50: median(times), count };
}

/** p50 of the whole series plotted to 2,000 columns. */
export async function plot(
  server: BenchServer,
  id: string,
  reps = 7,
): Promise<{ p50: number; points: number }> {
  const times: number[] = [];
  let points = 0;
  for (let rep = 0; rep < reps; rep++) {
    const t0 = now();
    const res = await server.request("GET", `/api/objects/${id}/timeseries/plot?columns=2000`);
    const body = (await res.json()) as { data: unknown[] };
    times.push(now() - t0);
    points = body.data.length;
  }
  return { p50: median(times), points };
}
