import Database from "better-sqlite3";
import type { Store } from "../index.js";
import { recordStores } from "../records.js";
import { TxGate } from "./gate.js";
import { CORE_MIGRATIONS, migrate } from "./migrations.js";
import { sqlitePort } from "./records.js";
import { SqliteTimeseriesStore, TIMESERIES_MIGRATIONS } from "./timeseries.js";

/**
 * Opens (creating if needed) the SQLite store in `file`: WAL so reads never wait for a writer,
 * foreign keys on so deletes cascade to data and KV. `maxBytes` caps the database's size (a write
 * beyond it fails with SQLITE_FULL, as on a full disk; deletes still free pages).
 */
export function openSqliteStore(file: string, opts: { maxBytes?: number } = {}): Store {
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    db.pragma("busy_timeout = 5000");
    if (opts.maxBytes) {
      const pageSize = db.pragma("page_size", { simple: true }) as number;
      db.pragma(`max_page_count = ${Math.max(1, Math.floor(opts.maxBytes / pageSize))}`);
    }
    migrate(db, "core", CORE_MIGRATIONS);
    migrate(db, "timeseries", TIMESERIES_MIGRATIONS);
  } catch (e) {
    db.close();
    throw e;
  }
  const gate = new TxGate();
  const inside = view(db, null);
  inside.transaction = (fn) => fn(inside);
  const outside = view(db, gate);
  outside.transaction = (fn) => gate.transaction(db, () => fn(inside));
  return outside;
}

/** The store's tables over one connection: gated (outside transactions) or direct (inside). */
function view(db: Database.Database, gate: TxGate | null): Store {
  const sql = sqlitePort(db, gate);
  return {
    ...recordStores(sql),
    timeseries: new SqliteTimeseriesStore(db, { gate }),
    transaction: () => Promise.reject(new Error("unreachable")),
    async close() {
      db.close();
    },
  };
}
