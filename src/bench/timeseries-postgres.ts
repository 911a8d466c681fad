/**
 * The timeseries figures on PostgreSQL, in the same run as SQLite's and printed beside them: a
 * raw `COPY` of the same rows as the ingest baseline, the REST figures against a server child on
 * a PostgreSQL database, and two server processes on one database against one.
 *
 * The cluster is the tests' throwaway one (store/postgres/test-cluster.ts: initdb in a temp
 * folder, fsync and synchronous_commit off), so every figure here is without durability costs,
 * the raw COPY baseline included.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { Point } from "../core/datapoint.js";
import { openPostgresStore } from "../server/store/postgres/open.js";
import { createDatabase, dropDatabase } from "../server/store/postgres/test-cluster.js";
import { BATCH, BenchServer, createFolder } from "./bench-server.js";
import {
  cpuTicks,
  fmt,
  gc,
  info,
  loadAverage,
  median,
  now,
  report,
  sensorPoint,
  table,
} from "./bench-util.js";
import { copyChunks, copyFrom } from "./pg-copy.js";
import {
  type ClientsRun,
  clientsIngest,
  describeRun,
  fullRead,
  ingestBodies,
  lastHour,
  loadSeries,
  medianRun,
  newSeries,
  plot,
  type StoreFigures,
  timedIngest,
} from "./timeseries-figures.js";

export interface PostgresBaseline {
  /** Rows per second of `COPY points (t, dt, d) FROM STDIN` into a plain double-precision table. */
  copyRate: number;
  /** The same with `d` as jsonb, as a row store of any heedy value would need. */
  jsonbCopyRate: number;
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** A fresh database, dropped after `fn` whatever happens. */
async function withDatabase<T>(clusterUrl: string, fn: (url: string) => Promise<T>): Promise<T> {
  const url = await createDatabase(clusterUrl);
  try {
    return await fn(url);
  } finally {
    await dropDatabase(clusterUrl, url);
  }
}

/**
 * Raw `COPY … FROM STDIN` of the 1M sensor points, one row per point, into a plain table without
 * an index: the fastest way PostgreSQL takes rows, and the baseline of the REST ingest. The text
 * is built before the clock starts (as the REST bodies are). `d` as double precision is the
 * budget's baseline; as jsonb (what a row store of any heedy value would need) and with a
 * (series, t) primary key are printed for comparison.
 */
export async function runPostgresStorageBench(
  clusterUrl: string,
  points = 1_000_000,
): Promise<PostgresBaseline> {
  console.log(
    `\nPostgreSQL storage (raw COPY, ${points.toLocaleString("en-US")} sensor points, one row per point)`,
  );
  const start = 1.7e9;
  const lines = function* () {
    for (let i = 0; i < points; i++) {
      const p = sensorPoint(i, start);
      yield `${p.t}\t0\t${p.d}\n`;
    }
  };
  const chunks = copyChunks(lines());
  return withDatabase(clusterUrl, async (url) => {
    const client = await connect(url);
    let copyRate = 0;
    let jsonbCopyRate = 0;
    try {
      const layouts = [
        { name: "t, dt, d double precision, no index", columns: "t float8, dt float8, d float8", reps: 3 },
        {
          name: "t, dt double precision, d jsonb, no index",
          columns: "t float8, dt float8, d jsonb",
          reps: 3,
        },
        {
          name: "series, t, dt, d double precision, PRIMARY KEY (series, t)",
          columns: "series int NOT NULL DEFAULT 1, t float8, dt float8, d float8, PRIMARY KEY (series, t)",
          reps: 1,
        },
      ];
      for (const layout of layouts) {
        const times: number[] = [];
        let size = 0;
        for (let rep = 0; rep < layout.reps; rep++) {
          await client.query("DROP TABLE IF EXISTS points");
          await client.query(`CREATE TABLE points (${layout.columns})`);
          const t0 = now();
          const rows = await copyFrom(client, "COPY points (t, dt, d) FROM STDIN", chunks);
          times.push(now() - t0);
          if (rows !== points) throw new Error(`COPY stored ${rows} rows, not ${points}`);
          size = Number(
            (await client.query<{ s: string }>("SELECT pg_total_relation_size('points') AS s")).rows[0]!.s,
          );
        }
        const rate = (points / median(times)) * 1000;
        if (copyRate === 0) copyRate = rate;
        else if (jsonbCopyRate === 0) jsonbCopyRate = rate;
        info(
          `raw COPY FROM STDIN (${layout.name}): ${fmt.rate(rate)}${layout.reps > 1 ? ` (median of ${layout.reps})` : ""}, ${(size / points).toFixed(1)} bytes/point`,
        );
      }
    } finally {
      await client.end();
    }
    await chunkEngineInsert(url, start, points, copyRate);
    return { copyRate, jsonbCopyRate };
  });
}

/**
 * The chunk engine on PostgreSQL in process (no HTTP, no JSON), fed 10k-point batches like the
 * REST figure: what the store itself costs against the raw row COPY.
 */
async function chunkEngineInsert(
  url: string,
  start: number,
  points: number,
  copyRate: number,
): Promise<void> {
  const store = await openPostgresStore(url);
  try {
    await store.users.create({
      username: "bench",
      name: "",
      description: "",
      icon: "",
      public_read: false,
      users_read: false,
      password_hash: "-",
    });
    await store.objects.create({
      id: "bench",
      name: "bench",
      description: "",
      icon: "",
      owner: "bench",
      app: null,
      tags: "",
      key: null,
      type: "timeseries",
      meta: {},
      created_date: "2024-01-01",
      last_modified: null,
      owner_scope: "*",
    });
    const batches: Point[][] = [];
    for (let i = 0; i < points; i += BATCH) {
      batches.push(
        // Keys in the order t, dt, d, as the SQLite storage bench builds them: the engine's
        // column conversion ran ~2x slower on {t, d, dt} objects.
        Array.from({ length: Math.min(BATCH, points - i) }, (_, k) => {
          const p = sensorPoint(i + k, start);
          return { t: p.t, dt: 0, d: p.d };
        }),
      );
    }
    gc();
    const t0 = now();
    for (const b of batches) await store.timeseries.insert("bench", b, "update");
    const rate = (points / (now() - t0)) * 1000;
    info(
      `chunk engine insert in process (10k batches, method update): ${fmt.rate(rate)}, ${fmt.ratio(rate / copyRate)} the raw COPY`,
    );
  } finally {
    await store.close();
  }
}

/** Chunk table size (heap, TOAST and indexes) per point, after a VACUUM reclaims merged chunks. */
async function chunkBytesPerPoint(url: string, points: number): Promise<{ raw: number; vacuumed: number }> {
  const client = await connect(url);
  try {
    const size = async () =>
      Number(
        (await client.query<{ s: string }>("SELECT pg_total_relation_size('timeseries_chunks') AS s"))
          .rows[0]!.s,
      );
    const raw = await size();
    await client.query("VACUUM FULL timeseries_chunks");
    return { raw: raw / points, vacuumed: (await size()) / points };
  } finally {
    await client.end();
  }
}

/**
 * The REST figures on PostgreSQL, measured as on SQLite (./timeseries-figures.ts), reported
 * against their budgets, then printed beside SQLite's.
 */
export async function runPostgresServerBench(
  clusterUrl: string,
  baseline: PostgresBaseline,
  sqlite: StoreFigures | undefined,
  opts: { bigPoints: number },
): Promise<void> {
  const { bigPoints } = opts;
  console.log("\nTimeseries over REST on PostgreSQL (server in a child process)");
  const pgFigures = await withDatabase(clusterUrl, async (url) => {
    const dir = mkdtempSync(join(tmpdir(), "heedy-bench-pg-"));
    const server = new BenchServer(dir);
    try {
      createFolder(dir, url);
      await server.start();
      const postmaster = await postmasterPid(url);
      const n = 1_000_000;
      // The disk figure first, while the table holds this one series.
      const id = await newSeries(server, "bench 1M");
      await timedIngest(server, id, n, 1.7e9);
      const disk = await chunkBytesPerPoint(url, n);
      report({
        name: "PostgreSQL: disk per numeric point (pg_total_relation_size of timeseries_chunks)",
        value: `${disk.vacuumed.toFixed(2)} bytes`,
        budget: "<= 16 bytes",
        ok: disk.vacuumed <= 16,
        note: `after VACUUM FULL; ${disk.raw.toFixed(2)} bytes before it (chunks rewritten by appends are dead rows until vacuumed)`,
      });
      const read = await fullRead(server, id, n);
      report({
        name: "PostgreSQL: full read of 1M points over REST (median of 5, bytes received)",
        value: `${fmt.ms(read.ms)} (${fmt.mb(read.bytes)})`,
        budget: "<= 500 ms",
        ok: read.ms <= 500,
      });

      const big = await newSeries(server, "bench 10M");
      const bigStart = Math.floor(Date.now() / 1000) - bigPoints;
      const loadS = await loadSeries(server, big, bigPoints, bigStart);
      info(
        `loaded ${bigPoints.toLocaleString("en-US")} points over REST in ${loadS.toFixed(1)} s (${fmt.rate(bigPoints / loadS)}, body building included)`,
      );
      const hour = await lastHour(server, big);
      const m = (bigPoints / 1e6).toFixed(0);
      report({
        name: `PostgreSQL: last-hour query on a ${m}M-point series (p50 of 200)`,
        value: fmt.ms(hour.p50),
        budget: "<= 5 ms",
        ok: hour.p50 <= 5,
        note: `${hour.count} points per answer, parsed by the client`,
      });
      const drawn = await plot(server, big);
      report({
        name: `PostgreSQL: plot: whole ${m}M-point series to 2,000 columns (p50 of 7)`,
        value: fmt.ms(drawn.p50),
        budget: "<= 100 ms",
        ok: drawn.p50 <= 100,
        note: `${drawn.points} points returned`,
      });
      const ingest = await ingestAgainstCopy(server, url, baseline, postmaster);
      const figures: StoreFigures = {
        ingestRate: ingest.four.rate,
        ingestOneRate: ingest.one.rate,
        ingestVsRaw: ingest.fourRatio,
        diskPerPoint: disk.vacuumed,
        fullReadMs: read.ms,
        lastHourMs: hour.p50,
        plotMs: drawn.p50,
      };
      return figures;
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const m = (bigPoints / 1e6).toFixed(0);
  const cell = (v: number | undefined, f: (x: number) => string) => (v === undefined ? "-" : f(v));
  const bytes = (x: number) => `${x.toFixed(2)} bytes`;
  console.log("\nSide by side (same run, same machine)");
  table(
    ["figure", "SQLite", "PostgreSQL", "budget"],
    [
      [
        "ingest, 1M points in 10k REST batches, 4 clients",
        cell(sqlite?.ingestRate, fmt.rate),
        fmt.rate(pgFigures.ingestRate),
        ">= 1,000,000/s",
      ],
      [
        "ingest, the same, 1 client",
        cell(sqlite?.ingestOneRate, fmt.rate),
        fmt.rate(pgFigures.ingestOneRate),
        "-",
      ],
      [
        "ingest / raw rows of the same points",
        cell(sqlite?.ingestVsRaw, fmt.ratio),
        fmt.ratio(pgFigures.ingestVsRaw),
        "SQLite 1 client >= 0.5x INSERT, PG 4 clients >= 1x 4 COPY",
      ],
      [
        "disk per point (1M sensor points)",
        cell(sqlite?.diskPerPoint, bytes),
        bytes(pgFigures.diskPerPoint),
        "<= 16 bytes",
      ],
      ["full read of 1M points", cell(sqlite?.fullReadMs, fmt.ms), fmt.ms(pgFigures.fullReadMs), "<= 500 ms"],
      [
        `last hour of ${m}M points (p50)`,
        cell(sqlite?.lastHourMs, fmt.ms),
        cell(pgFigures.lastHourMs, fmt.ms),
        "<= 5 ms",
      ],
      [
        `plot of ${m}M points, 2,000 columns (p50)`,
        cell(sqlite?.plotMs, fmt.ms),
        cell(pgFigures.plotMs, fmt.ms),
        "<= 100 ms",
      ],
    ],
  );
}

function parentOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return 0;
  }
}

/** CPU ticks of the postmaster and its children (backends, WAL writer, autovacuum, …) alive now. */
function clusterTicks(postmaster: number): number {
  let sum = cpuTicks(postmaster);
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    const pid = Number(d);
    if (parentOf(pid) === postmaster) sum += cpuTicks(pid);
  }
  return sum;
}

async function postmasterPid(url: string): Promise<number> {
  const client = await connect(url);
  try {
    const backend = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
    return parentOf(backend);
  } finally {
    await client.end();
  }
}

/** Measures the cluster's cores over a run (clientsIngest's `during`). */
function clusterCores(postmaster: number) {
  let t0 = 0;
  let cores = 0;
  return {
    start() {
      t0 = clusterTicks(postmaster);
    },
    stop(ms: number) {
      cores = ((clusterTicks(postmaster) - t0) * 10) / ms;
    },
    get cores() {
      return cores;
    },
  };
}

type PgRun = ClientsRun & { postgres: number };

async function pgClientsIngest(
  targets: readonly BenchServer[],
  clients: number,
  bodies: readonly Buffer[],
  postmaster: number,
  label: string,
): Promise<PgRun> {
  const pg = clusterCores(postmaster);
  const run = await clientsIngest(targets, clients, bodies, label, pg);
  return { ...run, postgres: pg.cores };
}

const describePg = (r: PgRun) => describeRun(r, `, PostgreSQL ${r.postgres.toFixed(2)}`);

/**
 * The table a row-per-point design needs to keep heedy's semantics: any JSON value (jsonb), a
 * duration, and one point per (series, t), which the update and insert methods rely on.
 */
const ROW_TABLE =
  "CREATE TABLE rows_copy (series int NOT NULL, t float8 NOT NULL, dt float8 NOT NULL, d jsonb NOT NULL, PRIMARY KEY (series, t))";

/** COPY text of `count` sensor points of series `series`, as ingestBodies posts them. */
function rowChunks(series: number, count: number, start: number): Buffer[] {
  return copyChunks(
    (function* () {
      for (let i = 0; i < count; i++) {
        const p = sensorPoint(i, start);
        yield `${series}\t${p.t}\t0\t${p.d}\n`;
      }
    })(),
  );
}

/**
 * REST ingest against raw COPY of the same rows, like with like, alternated in the same
 * database at the same moments: one client against one COPY connection, four clients against
 * four connections (each its own series, 250k points each). Three rounds; each ratio is taken
 * within its round, and the medians reported.
 */
async function ingestAgainstCopy(
  server: BenchServer,
  url: string,
  baseline: PostgresBaseline,
  postmaster: number,
  reps = 3,
) {
  const n = 1_000_000;
  const start = 1.7e9;
  const bodies = ingestBodies(n, start);
  const one = [rowChunks(1, n, start)];
  const four = [1, 2, 3, 4].map((series) => rowChunks(series, n / 4, start));
  const conns = await Promise.all([1, 2, 3, 4].map(() => connect(url)));
  const copy = async (parts: Buffer[][]): Promise<{ rate: number; postgres: number }> => {
    await conns[0]!.query("DROP TABLE IF EXISTS rows_copy");
    await conns[0]!.query(ROW_TABLE);
    const pg = clusterCores(postmaster);
    gc();
    pg.start();
    const t0 = now();
    const rows = await Promise.all(
      parts.map((p, i) => copyFrom(conns[i]!, "COPY rows_copy (series, t, dt, d) FROM STDIN", p)),
    );
    const ms = now() - t0;
    pg.stop(ms);
    if (rows.reduce((a, b) => a + b, 0) !== n) throw new Error(`COPY stored ${rows} rows, not ${n}`);
    await settle();
    return { rate: (n / ms) * 1000, postgres: pg.cores };
  };
  // Each run's writes are flushed before the next starts, so none pays for the one before it
  // (a 1M-row COPY leaves ~90 MB of dirty pages behind).
  const settle = async () => {
    await conns[0]!.query("DROP TABLE IF EXISTS rows_copy");
    await conns[0]!.query("CHECKPOINT");
  };
  const rest = async (clients: number, part: Buffer[], label: string) => {
    const run = await pgClientsIngest([server], clients, part, postmaster, label);
    await settle();
    return run;
  };
  const rounds: { copy1: number; copy4: number; rest1: PgRun; rest4: PgRun; pg4: number }[] = [];
  try {
    for (let rep = 0; rep < reps; rep++) {
      const copy1 = await copy(one);
      const rest1 = await rest(1, bodies, `one ${rep}`);
      const copy4 = await copy(four);
      const rest4 = await rest(4, bodies.slice(0, 25), `four ${rep}`);
      rounds.push({ copy1: copy1.rate, copy4: copy4.rate, rest1, rest4, pg4: copy4.postgres });
    }
  } finally {
    await Promise.all(conns.map((c) => c.end()));
  }
  const oneRatio = median(rounds.map((r) => r.rest1.rate / r.copy1));
  const fourRatio = median(rounds.map((r) => r.rest4.rate / r.copy4));
  const rest4 = medianRun(rounds.map((r) => r.rest4));
  const rest1 = medianRun(rounds.map((r) => r.rest1));
  const copy1 = median(rounds.map((r) => r.copy1));
  const copy4 = median(rounds.map((r) => r.copy4));
  info(`load average after the ingest rounds: ${loadAverage()}`);
  report({
    name: "PostgreSQL: ingest, 1M numeric points in 10k-point REST batches, 4 clients at once (median of 3)",
    value: fmt.rate(rest4.rate),
    budget: ">= 1,000,000/s",
    ok: rest4.rate >= 1_000_000,
    note: describePg(rest4),
  });
  report({
    name: "PostgreSQL: the same against raw COPY of the rows, 4 connections at once (median ratio of 3 rounds)",
    value: fmt.ratio(fourRatio),
    budget: ">= 1x",
    ok: fourRatio >= 1,
    note: `COPY into (series, t, dt, d jsonb, PRIMARY KEY (series, t)): ${fmt.rate(copy4)}, PostgreSQL cores ${median(rounds.map((r) => r.pg4)).toFixed(2)}`,
  });
  report({
    name: "PostgreSQL: ingest with one client (median of 3) against one COPY connection",
    value: fmt.rate(rest1.rate),
    budget: ">= 1x raw COPY",
    ok: oneRatio >= 1,
    note: `${fmt.ratio(oneRatio)} of COPY into the same row table (${fmt.rate(copy1)}); ${describePg(rest1)}`,
  });
  info(
    `for reference, one COPY connection into plain tables: ${fmt.rate(baseline.copyRate)} (d double, no index), ${fmt.rate(baseline.jsonbCopyRate)} (d jsonb, no index); one client's REST ingest is ${fmt.ratio(rest1.rate / baseline.copyRate)} and ${fmt.ratio(rest1.rate / baseline.jsonbCopyRate)} of them`,
  );
  return { one: rest1, four: rest4, oneRatio, fourRatio };
}

/**
 * Two `start` processes on one database against one: the same clients, the same points, first
 * all through one process, then split across both. Each client writes its own series: writers
 * of one series queue on its row lock in the database whichever process they come through, so
 * one shared series would measure that lock, not whether a second process adds throughput.
 * One and two alternate, three times each, and the medians are compared.
 */
export async function runTwoProcessBench(
  clusterUrl: string,
  opts: { clients?: number; batches?: number } = {},
) {
  const clients = opts.clients ?? 4;
  const batches = opts.batches ?? 25;
  console.log(
    `\nTwo server processes on one PostgreSQL database (${clients} clients, each ${((batches * BATCH) / 1e6).toFixed(2)}M points into its own series)`,
  );
  info(`load average before: ${loadAverage()}`);
  await withDatabase(clusterUrl, async (url) => {
    const dir = mkdtempSync(join(tmpdir(), "heedy-bench-pg2-"));
    const a = new BenchServer(dir);
    const b = new BenchServer(dir);
    try {
      createFolder(dir, url);
      await a.start();
      await b.start();
      const postmaster = await postmasterPid(url);
      const bodies = ingestBodies(batches * BATCH, 1.7e9);
      // A warm-up through both, so neither process meets the load cold (JIT, pool connections).
      await pgClientsIngest([a, b], 2, bodies.slice(0, 5), postmaster, "warm-up");
      const one: PgRun[] = [];
      const two: PgRun[] = [];
      for (let rep = 0; rep < 3; rep++) {
        one.push(await pgClientsIngest([a], clients, bodies, postmaster, `one ${rep}`));
        two.push(await pgClientsIngest([a, b], clients, bodies, postmaster, `two ${rep}`));
      }
      const ratio = median(one.map((o, k) => two[k]!.rate / o.rate));
      const o = medianRun(one);
      const t = medianRun(two);
      info(`one process:   ${describePg(o)}`);
      info(`two processes: ${describePg(t)}`);
      info(`load average after: ${loadAverage()}`);
      report({
        name: "PostgreSQL: ingest through two server processes vs one (median ratio of 3 rounds)",
        value: fmt.ratio(ratio),
        budget: ">= 1.5x",
        ok: ratio >= 1.5,
        note: `${fmt.rate(t.rate)} vs ${fmt.rate(o.rate)}; ${availableParallelism()} cores on this machine`,
      });
    } finally {
      await a.stop();
      await b.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
