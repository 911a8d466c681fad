/**
 * What the record stores (./records.ts) need from a database, so their SQL is written once: a
 * port that runs statements with `?` placeholders, and the few spots where the two dialects
 * differ. Each database supplies one port (sqlite/records.ts, postgres/records.ts).
 */

export type Row = Record<string, unknown>;

export interface SqlDialect {
  /** A boolean as a statement parameter (SQLite binds no booleans: 1 or 0). */
  bool(v: boolean): unknown;
  /**
   * Appended to a text column in ORDER BY so it sorts by bytes, as SQLite's BINARY collation
   * does, whatever the database's own collation.
   */
  readonly byBytes: string;
  /**
   * `expr` with ASCII letters folded to lower case, on both sides of a LIKE, where LIKE does not
   * already ignore their case (SQLite's does, for ASCII letters only).
   */
  foldAscii(expr: string): string;
}

export interface SqlPort {
  readonly dialect: SqlDialect;
  /** The rows of a statement with `?` placeholders. */
  all(sql: string, params: readonly unknown[]): Promise<Row[]>;
  /**
   * Runs a statement with `?` placeholders and returns how many rows it changed. A broken
   * constraint throws a ConstraintError naming it.
   */
  run(sql: string, params: readonly unknown[]): Promise<number>;
  /** Runs `fn` in a transaction of its own, or inside the one already open. */
  atomic<T>(fn: (sql: SqlPort) => Promise<T>): Promise<T>;
}

/**
 * `?` placeholders as `$1`, `$2`, … in order, for PostgreSQL. The record SQL holds no `?` in a
 * literal or an operator, so every one is a parameter.
 */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
