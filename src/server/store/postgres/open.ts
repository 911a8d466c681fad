import pg from "pg";
import type { Store } from "../index.js";
import { recordStores } from "../records.js";
import { CORE_MIGRATIONS, migrate, TIMESERIES_MIGRATIONS } from "./migrations.js";
import { type Atomic, pgPort, type Querier, withoutNulLookups } from "./records.js";
import { PgTimeseriesStore } from "./timeseries.js";

/** BIGINT as a JS number: counts, instants in ms and chunk ids all stay far below 2^53. */
export const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === 20 ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/**
 * Opens the PostgreSQL store at `url` (a libpq connection URL), applying migrations. Several
 * server processes may open the same database: migrations take an advisory lock, and every
 * write serialises in the database, never in this process.
 */
export async function openPostgresStore(url: string, opts: { max?: number } = {}): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10, types });
  // An idle connection dropped by the server must not take the process down.
  pool.on("error", () => {});
  try {
    const client = await pool.connect();
    try {
      await migrate(client, [
        ["core", CORE_MIGRATIONS],
        ["timeseries", TIMESERIES_MIGRATIONS],
      ]);
    } finally {
      client.release();
    }
  } catch (e) {
    await pool.end();
    throw e;
  }

  const begin = beginOn(pool);

  const outside = view(pool, begin);
  outside.transaction = (fn) =>
    begin((client) => {
      const inside = view(client, (f) => f(client));
      inside.transaction = (g) => g(inside);
      return fn(inside);
    });
  outside.close = () => pool.end();
  return outside;
}

/** Runs `fn` in a transaction on a connection of its own from `pool`; a throw rolls it back. */
export function beginOn(pool: pg.Pool): Atomic {
  return async (fn) => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const out = await fn(client);
      await client.query("COMMIT");
      return out;
    } catch (e) {
      await client.query("ROLLBACK").catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  };
}

function view(raw: Querier, atomic: Atomic): Store {
  const q = withoutNulLookups(raw);
  const sql = pgPort(q, atomic);
  return {
    ...recordStores(sql),
    timeseries: new PgTimeseriesStore(q, atomic),
    transaction: () => Promise.reject(new Error("unreachable")),
    close: async () => {},
  };
}
