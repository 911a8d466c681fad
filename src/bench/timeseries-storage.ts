/**
 * Storage-level timeseries figures, in process (no HTTP): the raw better-sqlite3 baseline the REST
 * ingest budget is compared with, the one-row-per-point layout we did not choose, and the chunk
 * engine's own ingest rate and bytes per point.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { Point } from "../core/datapoint.js";
import { SqliteTimeseriesStore, TIMESERIES_MIGRATIONS } from "../server/store/sqlite/timeseries.js";
import { fmt, gc, info, now, report, sensorPoint } from "./bench-util.js";

export interface StorageBaseline {
  /** Rows per second of a plain prepared INSERT of (t, d) in one transaction. */
  rawInsertRate: number;
  /** Bytes per point of the 1M-point sensor series in the chunk engine (10k-point batches). */
  chunkBytesPerPoint: number;
}

function usedBytes(db: Database.Database): number {
  db.pragma("wal_checkpoint(TRUNCATE)");
  const pages = db.pragma("page_count", { simple: true }) as number;
  const free = db.pragma("freelist_count", { simple: true }) as number;
  const size = db.pragma("page_size", { simple: true }) as number;
  return (pages - free) * size;
}

function openDb(dir: string, name: string): Database.Database {
  const db = new Database(join(dir, name));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  return db;
}

export async function runStorageBench(points = 1_000_000): Promise<StorageBaseline> {
  console.log(`\nTimeseries storage (in process, ${points.toLocaleString("en-US")} sensor points)`);
  const dir = mkdtempSync(join(tmpdir(), "heedy-bench-storage-"));
  const start = 1.7e9;
  const rows = Array.from({ length: points }, (_, i) => sensorPoint(i, start));
  try {
    // Baseline: the rows as plain (t, d) rows, one transaction, one prepared statement.
    const raw = openDb(dir, "raw.db");
    raw.exec("CREATE TABLE points (t REAL NOT NULL, d REAL NOT NULL)");
    const ins = raw.prepare("INSERT INTO points (t, d) VALUES (?, ?)");
    gc();
    let t0 = now();
    raw.transaction(() => {
      for (const r of rows) ins.run(r.t, r.d);
    })();
    const rawMs = now() - t0;
    const rawInsertRate = (points / rawMs) * 1000;
    info(
      `raw better-sqlite3 INSERT (t REAL, d REAL), no index: ${fmt.rate(rawInsertRate)}, ${(usedBytes(raw) / points).toFixed(1)} bytes/point`,
    );
    raw.close();

    // The layout we did not choose: a row per point keyed by (series, t).
    const perRow = openDb(dir, "rows.db");
    perRow.exec(
      "CREATE TABLE points (sid INTEGER NOT NULL, t REAL NOT NULL, d REAL, dt REAL, PRIMARY KEY (sid, t)) WITHOUT ROWID",
    );
    const insRow = perRow.prepare("INSERT INTO points (sid, t, d, dt) VALUES (1, ?, ?, 0)");
    t0 = now();
    perRow.transaction(() => {
      for (const r of rows) insRow.run(r.t, r.d);
    })();
    const rowMs = now() - t0;
    info(
      `one row per point, PRIMARY KEY (sid, t): ${fmt.rate((points / rowMs) * 1000)}, ${(usedBytes(perRow) / points).toFixed(1)} bytes/point`,
    );
    perRow.close();

    // The chunk engine, fed 10k-point batches like the REST budget.
    const db = openDb(dir, "chunks.db");
    db.exec("CREATE TABLE objects (id TEXT PRIMARY KEY NOT NULL)");
    for (const step of TIMESERIES_MIGRATIONS) db.exec(step);
    db.prepare("INSERT INTO objects (id) VALUES ('bench')").run();
    const store = new SqliteTimeseriesStore(db);
    const batches: Point[][] = [];
    for (let i = 0; i < points; i += 10_000) {
      batches.push(rows.slice(i, i + 10_000).map((r) => ({ t: r.t, dt: 0, d: r.d })));
    }
    gc();
    t0 = now();
    for (const b of batches) await store.insert("bench", b, "update");
    const chunkMs = now() - t0;
    const bytes = usedBytes(db);
    info(
      `chunk engine insert (10k batches, method update): ${fmt.rate((points / chunkMs) * 1000)}, ${(bytes / points).toFixed(2)} bytes/point`,
    );
    report({
      name: "disk per numeric point (chunk engine, 1 Hz sensor series)",
      value: `${(bytes / points).toFixed(2)} bytes`,
      budget: "<= 16 bytes",
      ok: bytes / points <= 16,
    });
    // Random doubles defeat the decimal encoding: the worst case for numbers, printed for honesty.
    const id2 = "bench-random";
    db.prepare("INSERT INTO objects (id) VALUES (?)").run(id2);
    const before = usedBytes(db);
    let seed = 1;
    const rnd = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    for (let i = 0; i < 200_000; i += 10_000) {
      await store.insert(
        id2,
        Array.from({ length: 10_000 }, (_, k) => ({
          t: start + (i + k) * 0.1 + rnd() * 0.01,
          dt: 0,
          d: rnd(),
        })),
        "update",
      );
    }
    info(
      `worst case (irregular float timestamps, random doubles): ${((usedBytes(db) - before) / 200_000).toFixed(2)} bytes/point`,
    );
    db.close();
    return { rawInsertRate, chunkBytesPerPoint: bytes / points };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
