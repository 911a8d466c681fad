/**
 * `heedy-explorer migrate DIR --to postgres://…`: moves a data folder from its SQLite file into an
 * empty PostgreSQL database, then points the folder at it.
 *
 * Rows are copied as they are: password and token hashes stay hashes, JSON stays the text it was
 * written as, and chunks keep their ids and bytes (no decoding, no re-encoding), so the series
 * read back point for point. The copy is one PostgreSQL transaction: a failure half-way leaves the
 * target empty, and migrate can simply be run again. Afterwards both sides are compared (row
 * counts of every table, and per series its point count and a SHA-256 over its chunks in time
 * order); heedy.json is changed only when everything matches.
 */
import { createHash, type Hash } from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";
import { checkDatabaseUrl, DataDirError, recordDatabase, redactUrl, sqliteFileOf } from "./data-dir.js";
import { CORE_MIGRATIONS, migrate, TIMESERIES_MIGRATIONS } from "./store/postgres/migrations.js";
import { types } from "./store/postgres/open.js";
import { openSqliteStore } from "./store/sqlite/open.js";

type PgType = "text" | "bool" | "int8" | "int4" | "float8" | "bytea";

interface TableCopy {
  table: string;
  /** PostgreSQL columns and their types, in the order the SQLite query gives them. */
  columns: readonly (readonly [string, PgType])[];
  /**
   * The SQLite query of one page: `?` is the last key of the previous page. Its first column is
   * that key (the rowid), the rest are `columns`.
   */
  page: string;
}

const text = (...names: string[]) => names.map((n) => [n, "text"] as const);

function plain(table: string, columns: TableCopy["columns"]): TableCopy {
  const list = columns.map(([c]) => `"${c}"`).join(", ");
  return {
    table,
    columns,
    page: `SELECT rowid, ${list} FROM ${table} WHERE rowid > ? ORDER BY rowid LIMIT ?`,
  };
}

const CHUNK_FLOATS = ["t0", "t1", "tend"] as const;
const CHUNK_STATS = [
  "first_d",
  "last_d",
  "min_t",
  "min_d",
  "max_t",
  "max_d",
  "agg_sum",
  "agg_min",
  "agg_max",
  "agg_dt",
] as const;

/** Parents before children, so every foreign key finds its row. */
const TABLES: readonly TableCopy[] = [
  plain("users", [
    ...text("username", "name", "description", "icon"),
    ["public_read", "bool"],
    ["users_read", "bool"],
    ["password_hash", "text"],
  ]),
  plain("apps", [
    ...text("id", "name", "description", "icon", "owner"),
    ["enabled", "bool"],
    ...text(
      "created_date",
      "last_access_date",
      "scope",
      "settings",
      "settings_schema",
      "plugin",
      "token_hash",
    ),
  ]),
  plain("objects", [
    ...text(
      "id",
      "name",
      "description",
      "icon",
      "owner",
      "app",
      "tags",
      "key",
      "type",
      "meta",
      "created_date",
      "last_modified",
      "owner_scope",
    ),
    ["modified_at", "float8"],
  ]),
  plain("sessions", [
    ...text("sessionid", "token_hash", "username", "description", "created_date", "last_access_date"),
    ["created_at", "int8"],
    ["used_at", "int8"],
  ]),
  plain("kv_users", text("owner", "namespace", "key", "value")),
  plain("kv_apps", text("owner", "namespace", "key", "value")),
  plain("kv_objects", text("owner", "namespace", "key", "value")),
  plain("user_settings", text("username", "plugin", "key", "value")),
  {
    // SQLite numbers its series; PostgreSQL keys them by object id (the Citus distribution column).
    table: "timeseries",
    columns: [
      ["object_id", "text"],
      ["n", "int8"],
    ],
    page: "SELECT sid, object_id, n FROM timeseries WHERE sid > ? ORDER BY sid LIMIT ?",
  },
  {
    table: "timeseries_chunks",
    columns: [
      ["object_id", "text"],
      ["id", "int8"],
      ...CHUNK_FLOATS.map((c) => [c, "float8"] as const),
      ["n", "int4"],
      ...CHUNK_STATS.map((c) => [c, "float8"] as const),
      ["data", "bytea"],
    ],
    page: `SELECT c.id, s.object_id, c.id, ${CHUNK_FLOATS.join(", ")}, c.n, ${CHUNK_STATS.join(", ")}, c.data
           FROM timeseries_chunks c JOIN timeseries s ON s.sid = c.sid
           WHERE c.id > ? ORDER BY c.id LIMIT ?`,
  },
];

/** Rows read from SQLite per query; chunks are big, so fewer of them. */
const PAGE_ROWS = 1000;
const CHUNK_PAGE_ROWS = 200;
/** A batch is sent once it holds this many bytes of blobs, whatever its row count. */
const BATCH_BYTES = 8 << 20;

export interface MigrateOptions {
  /** Progress lines (the CLI writes them to stderr). */
  progress?: (line: string) => void;
  /** The result, line by line (the CLI writes it to stdout). */
  out?: (line: string) => void;
  /** Minimum time between two progress lines that are not at a 10% step. */
  progressIntervalMs?: number;
}

export interface TableCount {
  table: string;
  source: number;
  target: number;
}

export interface SeriesCheck {
  objectId: string;
  points: { source: number; target: number };
  sha256: { source: string; target: string };
}

export interface MigrateReport {
  tables: TableCount[];
  series: SeriesCheck[];
  /** Every count and checksum matched, and heedy.json now names the database. */
  ok: boolean;
}

/** Copies the folder's SQLite data into the empty database at `url` and compares both sides. */
export async function migrateDataDir(
  dir: string,
  url: string,
  opts: MigrateOptions = {},
): Promise<MigrateReport> {
  checkDatabaseUrl(url);
  const file = sqliteFileOf(dir);
  const out = opts.out ?? (() => {});
  // Opening the store first brings a folder from an older version to the current schema.
  await openSqliteStore(file).close();
  const source = new Database(file);
  const pool = new pg.Pool({ connectionString: url, max: 1, types });
  pool.on("error", () => {});
  try {
    // One read transaction: every page and the comparison see the same snapshot of the folder.
    source.exec("BEGIN");
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (e) {
      throw new DataDirError(`the database ${redactUrl(url)} cannot be opened: ${(e as Error).message}`);
    }
    try {
      await migrate(client, [
        ["core", CORE_MIGRATIONS],
        ["timeseries", TIMESERIES_MIGRATIONS],
      ]);
      await copy(source, client, url, opts);
      const report = await compare(source, client);
      report.ok =
        report.tables.every((t) => t.source === t.target) &&
        report.series.every(
          (s) => s.points.source === s.points.target && s.sha256.source === s.sha256.target,
        );
      if (report.ok) recordDatabase(dir, url);
      for (const line of describe(report, file, url)) out(line);
      return report;
    } finally {
      client.release();
    }
  } finally {
    if (source.inTransaction) source.exec("COMMIT");
    source.close();
    await pool.end();
  }
}

async function copy(source: Database.Database, client: pg.PoolClient, url: string, opts: MigrateOptions) {
  const totals = TABLES.map(
    (t) => (source.prepare(`SELECT count(*) AS n FROM ${t.table}`).get() as { n: number }).n,
  );
  await client.query("BEGIN");
  try {
    // Writers elsewhere (a `start` already pointed here) wait until the copy is in, or fails.
    await client.query(`LOCK TABLE ${TABLES.map((t) => t.table).join(", ")} IN EXCLUSIVE MODE`);
    const held: string[] = [];
    for (const { table } of TABLES) {
      const r = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      if (r.rows[0]!.n > 0) held.push(`${table}: ${r.rows[0]!.n}`);
    }
    if (held.length > 0) {
      throw new DataDirError(
        `the database ${redactUrl(url)} already holds data (${held.join(", ")}); migrate needs an empty one`,
      );
    }
    const progress = progressReporter(
      totals.reduce((a, b) => a + b, 0),
      opts.progress ?? (() => {}),
      opts.progressIntervalMs ?? 1000,
    );
    for (const t of TABLES) await copyTable(source, client, t, progress);
    // Chunk ids were copied; new chunks must be numbered after them.
    await client.query(
      `SELECT setval(pg_get_serial_sequence('timeseries_chunks', 'id'), coalesce(max(id), 0) + 1, false)
       FROM timeseries_chunks`,
    );
    await client.query("COMMIT");
    progress.done();
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    if (e instanceof DataDirError) throw e;
    throw new DataDirError(
      `copying failed, so nothing was written to ${redactUrl(url)} and heedy.json is unchanged: ${(e as Error).message}`,
    );
  }
}

async function copyTable(
  source: Database.Database,
  client: pg.PoolClient,
  t: TableCopy,
  progress: ReturnType<typeof progressReporter>,
) {
  const page = source.prepare(t.page).raw(true);
  const limit = t.table === "timeseries_chunks" ? CHUNK_PAGE_ROWS : PAGE_ROWS;
  const insert = `INSERT INTO ${t.table} (${t.columns.map(([c]) => `"${c}"`).join(", ")})
    SELECT * FROM unnest(${t.columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(", ")})`;
  let batch: unknown[][] = [];
  let bytes = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const columns = t.columns.map(([, type], i) =>
      batch.map((row) => (type === "bool" && row[i] !== null ? row[i] !== 0 : row[i])),
    );
    await client.query(insert, columns);
    progress.add(batch.length);
    batch = [];
    bytes = 0;
  };
  let after = -Infinity;
  for (;;) {
    const rows = page.all(after, limit) as unknown[][];
    if (rows.length === 0) break;
    for (const [key, ...values] of rows) {
      after = key as number;
      batch.push(values);
      for (const v of values) if (v instanceof Uint8Array) bytes += v.byteLength;
      if (batch.length >= PAGE_ROWS || bytes >= BATCH_BYTES) await flush();
    }
  }
  await flush();
}

/** A line at every 10% and at least every `intervalMs` in between. */
function progressReporter(total: number, line: (s: string) => void, intervalMs: number) {
  let done = 0;
  let lastStep = 0;
  let lastAt = Date.now();
  const say = () => {
    const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
    line(`migrate: ${pct}% (${done.toLocaleString("en")} of ${total.toLocaleString("en")} rows)`);
    lastStep = Math.floor(pct / 10);
    lastAt = Date.now();
  };
  line(`migrate: copying ${total.toLocaleString("en")} rows`);
  return {
    add(n: number) {
      done += n;
      const step = Math.floor((done / total) * 10);
      if (step > lastStep || Date.now() - lastAt >= intervalMs) say();
    },
    done() {
      if (lastStep < 10) say();
    },
  };
}

interface ChunkCursor {
  t0: number;
  id: number;
}

/** Feeds one page of chunks (in t0, id order) to the hash; answers the cursor after the page. */
function hashChunks(h: Hash, rows: Record<string, unknown>[]): { cursor?: ChunkCursor; points: number } {
  let points = 0;
  let cursor: ChunkCursor | undefined;
  for (const r of rows) {
    // JSON prints every double exactly, so equal numbers hash equally whichever driver read them.
    h.update(JSON.stringify([r.id, ...CHUNK_FLOATS.map((c) => r[c]), r.n, ...CHUNK_STATS.map((c) => r[c])]));
    const data = r.data as Uint8Array;
    h.update(String(data.byteLength));
    h.update(data);
    points += r.n as number;
    cursor = { t0: r.t0 as number, id: r.id as number };
  }
  return { cursor, points };
}

const CHUNK_COLUMNS = `id, ${CHUNK_FLOATS.join(", ")}, n, ${CHUNK_STATS.join(", ")}, data`;

async function compare(source: Database.Database, client: pg.PoolClient): Promise<MigrateReport> {
  const tables: TableCount[] = [];
  for (const { table } of TABLES) {
    const s = (source.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    const r = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    tables.push({ table, source: s, target: r.rows[0]!.n });
  }
  const sqliteSeries = source
    .prepare("SELECT sid, object_id, n FROM timeseries ORDER BY object_id")
    .all() as { sid: number; object_id: string; n: number }[];
  const sqlitePage = source.prepare(
    `SELECT ${CHUNK_COLUMNS} FROM timeseries_chunks
     WHERE sid = ? AND (t0 > ? OR (t0 = ? AND id > ?)) ORDER BY t0, id LIMIT ${CHUNK_PAGE_ROWS}`,
  );
  const series: SeriesCheck[] = [];
  for (const s of sqliteSeries) {
    const hs = createHash("sha256");
    let at: ChunkCursor = { t0: -Infinity, id: -1 };
    let chunkPoints = 0;
    for (;;) {
      const rows = sqlitePage.all(s.sid, at.t0, at.t0, at.id) as Record<string, unknown>[];
      const { cursor, points } = hashChunks(hs, rows);
      chunkPoints += points;
      if (!cursor) break;
      at = cursor;
    }
    const ht = createHash("sha256");
    at = { t0: -Infinity, id: -1 };
    let targetPoints = 0;
    for (;;) {
      const r = await client.query<Record<string, unknown>>(
        `SELECT ${CHUNK_COLUMNS} FROM timeseries_chunks
         WHERE object_id = $1 AND (t0, id) > ($2, $3) ORDER BY t0, id LIMIT ${CHUNK_PAGE_ROWS}`,
        [s.object_id, at.t0, at.id],
      );
      const { cursor, points } = hashChunks(ht, r.rows);
      targetPoints += points;
      if (!cursor) break;
      at = cursor;
    }
    const recorded = await client.query<{ n: number }>("SELECT n FROM timeseries WHERE object_id = $1", [
      s.object_id,
    ]);
    // A series' count must agree with its own chunks on each side, and with the other side.
    const targetN = recorded.rows[0]?.n ?? -1;
    series.push({
      objectId: s.object_id,
      points: {
        source: s.n === chunkPoints ? s.n : -1,
        target: targetN === targetPoints ? targetN : -1,
      },
      sha256: { source: hs.digest("hex"), target: ht.digest("hex") },
    });
  }
  return { tables, series, ok: false };
}

function describe(report: MigrateReport, file: string, url: string): string[] {
  const width = Math.max(...report.tables.map((t) => t.table.length));
  const lines = [`Compared ${file} (source) with ${redactUrl(url)} (target):`];
  for (const t of report.tables) {
    const mark = t.source === t.target ? "=" : "≠";
    lines.push(`  ${t.table.padEnd(width)}  ${t.source} ${mark} ${t.target} rows`);
  }
  const bad = report.series.filter(
    (s) => s.points.source !== s.points.target || s.sha256.source !== s.sha256.target,
  );
  const points = report.series.reduce((a, s) => a + Math.max(0, s.points.source), 0);
  lines.push(
    `  series: ${report.series.length - bad.length} of ${report.series.length} match (point count and SHA-256 of every chunk), ${points.toLocaleString("en")} points`,
  );
  for (const s of bad) {
    lines.push(
      `  MISMATCH series ${s.objectId}: points ${s.points.source} / ${s.points.target}, sha256 ${s.sha256.source} / ${s.sha256.target}`,
    );
  }
  if (report.ok) {
    lines.push(
      `Done: heedy.json now names ${redactUrl(url)}, so "start" serves it. heedy.db was left as it was; remove it once you no longer need it.`,
    );
  } else {
    lines.push("The copies differ: heedy.json is unchanged, so the folder still serves its SQLite file.");
  }
  return lines;
}
