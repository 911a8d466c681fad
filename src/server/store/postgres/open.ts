import pg from "pg";
import type { Store } from "../index.js";
import { type Atomic, PgKv, PgUserSettings } from "./kv.js";
import { CORE_MIGRATIONS, migrate, TIMESERIES_MIGRATIONS } from "./migrations.js";
import { PgApps, PgObjects, PgSessions, PgUsers, type Querier } from "./records.js";
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

  const begin = async <T>(fn: (q: Querier) => Promise<T>): Promise<T> => {
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

/**
 * PostgreSQL text cannot hold NUL, which SQLite stores: a lookup by such a key finds nothing
 * (as on SQLite, where no stored key has one) instead of failing the statement. Writes of such
 * text still fail (http/storage-errors.ts answers 400).
 */
function withoutNulLookups(q: Querier): Querier {
  const run = q.query.bind(q) as (config: unknown, values?: unknown) => Promise<unknown>;
  const query = (config: unknown, values?: unknown) => {
    const text = typeof config === "string" ? config : (config as { text: string }).text;
    const params = (typeof config === "string" ? values : (config as { values?: unknown }).values) as
      | unknown[]
      | undefined;
    if (/^\s*(SELECT|DELETE)/i.test(text) && params?.some((v) => typeof v === "string" && v.includes("\0"))) {
      return Promise.resolve({ command: "", rowCount: 0, oid: 0, fields: [], rows: [] });
    }
    return run(config, values);
  };
  return { query } as unknown as Querier;
}

function view(raw: Querier, atomic: Atomic): Store {
  const q = withoutNulLookups(raw);
  return {
    users: new PgUsers(q),
    apps: new PgApps(q),
    objects: new PgObjects(q),
    sessions: new PgSessions(q),
    kv: new PgKv(q, atomic),
    settings: new PgUserSettings(q, atomic),
    timeseries: new PgTimeseriesStore(q, atomic),
    transaction: () => Promise.reject(new Error("unreachable")),
    close: async () => {},
  };
}
