import type pg from "pg";
import { numberedPlaceholders, type Row, type SqlDialect, type SqlPort } from "../record-sql.js";
import { translateConstraint } from "./errors.js";

/** A pool (one statement, any connection) or the client of an open transaction. */
export type Querier = Pick<pg.ClientBase, "query">;

/** Runs `fn` in a transaction of its own, or inside the one already open. */
export type Atomic = <T>(fn: (q: Querier) => Promise<T>) => Promise<T>;

const POSTGRES: SqlDialect = {
  bool: (v) => v,
  byBytes: ' COLLATE "C"',
  // ASCII-only, as SQLite's LIKE ignores the case of ASCII letters and only those.
  foldAscii: (expr) => `translate(${expr}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')`,
};

/**
 * PostgreSQL text cannot hold NUL, which SQLite stores: a lookup by such a key finds nothing
 * (as on SQLite, where no stored key has one) instead of failing the statement. Writes of such
 * text still fail (http/storage-errors.ts answers 400).
 */
export function withoutNulLookups(q: Querier): Querier {
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

/** The record stores' port on a pool or on an open transaction's client (`atomic` then joins it). */
export function pgPort(q: Querier, atomic: Atomic): SqlPort {
  const query = (sql: string, params: readonly unknown[]) =>
    q.query<Row>(numberedPlaceholders(sql), [...params]).catch(translateConstraint);
  return {
    dialect: POSTGRES,
    all: async (sql, params) => (await query(sql, params)).rows,
    run: async (sql, params) => (await query(sql, params)).rowCount ?? 0,
    atomic: (fn) =>
      atomic((client) => {
        const inner = withoutNulLookups(client);
        return fn(pgPort(inner, (f) => f(inner)));
      }),
  };
}
