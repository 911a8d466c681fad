/**
 * The timeseries figures measured the same way on every store: each takes a running bench
 * server and returns numbers; the store's bench module reports them against its budgets.
 */
import { BATCH, type BenchServer, batchBody } from "./bench-server.js";
import { cpuTicks, fmt, gc, median, now } from "./bench-util.js";

/** The figures printed side by side for SQLite and PostgreSQL. */
export interface StoreFigures {
  /** Points/s of 1M points posted in 10k-point batches by four clients at once. */
  ingestRate: number;
  /** The same posted by one client, one request at a time. */
  ingestOneRate: number;
  /** Ingest over the store's raw baseline of the same rows, like with like (see each store). */
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

export async function postBatch(server: BenchServer, id: string, body: Buffer): Promise<void> {
  const res = await server.post(`/api/objects/${id}/timeseries`, body);
  if (res.status !== 200) throw new Error(`insert failed: ${res.status} ${res.text}`);
}

/** The 10k-point bodies of n sensor points from `start`, as bytes ready to send. */
export function ingestBodies(n: number, start: number): Buffer[] {
  const bodies: Buffer[] = [];
  for (let i = 0; i < n; i += BATCH) bodies.push(Buffer.from(batchBody(i, Math.min(BATCH, n - i), start)));
  return bodies;
}

/** Posts n sensor points in 10k-point batches built beforehand; returns points/s. */
export async function timedIngest(
  server: BenchServer,
  id: string,
  n: number,
  start: number,
): Promise<number> {
  const bodies = ingestBodies(n, start);
  gc();
  const t0 = now();
  for (const body of bodies) await postBatch(server, id, body);
  return (n / (now() - t0)) * 1000;
}

/** One run of concurrent clients: points/s, and the cores the server(s) and this process used. */
export interface ClientsRun {
  rate: number;
  /** The series written, one per client. */
  ids: string[];
  servers: number[];
  client: number;
}

/**
 * `clients` concurrent clients, each appending the same prebuilt bodies to a new series of its
 * own, client c through targets[c % targets.length]. Each writes its own series: writers of one
 * series queue on its lock, so a shared series would measure that lock, not the server.
 */
export async function clientsIngest(
  targets: readonly BenchServer[],
  clients: number,
  bodies: readonly Buffer[],
  label: string,
  during?: { start(): void; stop(ms: number): void },
): Promise<ClientsRun> {
  const ids: string[] = [];
  for (let c = 0; c < clients; c++) ids.push(await newSeries(targets[c % targets.length]!, `${label} ${c}`));
  gc();
  const before = targets.map((t) => cpuTicks(t.pid));
  during?.start();
  const cpu0 = process.cpuUsage();
  const t0 = now();
  await Promise.all(
    ids.map(async (id, c) => {
      const target = targets[c % targets.length]!;
      for (const body of bodies) await postBatch(target, id, body);
    }),
  );
  const ms = now() - t0;
  const cpu = process.cpuUsage(cpu0);
  during?.stop(ms);
  // Ticks are 10 ms each: cores = ticks * 10 / ms.
  return {
    rate: ((clients * bodies.length * BATCH) / ms) * 1000,
    ids,
    servers: targets.map((t, i) => ((cpuTicks(t.pid) - before[i]!) * 10) / ms),
    client: (cpu.user + cpu.system) / 1000 / ms,
  };
}

/** The run with the median rate of `runs` (an odd number of them). */
export function medianRun<T extends { rate: number }>(runs: readonly T[]): T {
  return [...runs].sort((a, b) => a.rate - b.rate)[Math.floor(runs.length / 2)]!;
}

/** A run's rate and the cores used, for a result line. */
export function describeRun(r: ClientsRun, extra = ""): string {
  const servers = r.servers.map((c) => c.toFixed(2)).join(" + ");
  return `${fmt.rate(r.rate)}; cores used: server ${servers}${extra}, bench client ${r.client.toFixed(2)}`;
}

/**
 * The two ingest figures of a server, 1M points each time, alternated `reps` times: one client
 * posting 100 bodies one after the other (bound by each request's latency), and four clients
 * posting 25 each at once (the server's capacity). Medians of the runs.
 */
export async function ingestFigures(
  server: BenchServer,
  reps = 3,
): Promise<{ one: ClientsRun; four: ClientsRun; oneRuns: ClientsRun[]; fourRuns: ClientsRun[] }> {
  const bodies = ingestBodies(1_000_000, 1.7e9);
  const oneRuns: ClientsRun[] = [];
  const fourRuns: ClientsRun[] = [];
  for (let rep = 0; rep < reps; rep++) {
    oneRuns.push(await clientsIngest([server], 1, bodies, `ingest one ${rep}`));
    fourRuns.push(await clientsIngest([server], 4, bodies.slice(0, bodies.length / 4), `ingest four ${rep}`));
  }
  return { one: medianRun(oneRuns), four: medianRun(fourRuns), oneRuns, fourRuns };
}

/** Loads a big series batch by batch (bodies built on the way); returns seconds taken. */
export async function loadSeries(server: BenchServer, id: string, n: number, start: number): Promise<number> {
  const t0 = now();
  for (let i = 0; i < n; i += BATCH) {
    await postBatch(server, id, Buffer.from(batchBody(i, Math.min(BATCH, n - i), start)));
  }
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
