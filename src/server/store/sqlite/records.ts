import type Database from "better-sqlite3";
import { constraintOf } from "../../../core/constraints.js";
import type { Row, SqlDialect, SqlPort } from "../record-sql.js";
import { ConstraintError } from "../types.js";
import { runnerFor, type TxGate } from "./gate.js";

/** SQLite's constraint texts are heedy's own (contract 6.2 step 7): read the name back from them. */
function translateConstraint(err: unknown): never {
  const name = err instanceof Error ? constraintOf(err.message) : undefined;
  if (name) throw new ConstraintError(name);
  throw err;
}

const SQLITE: SqlDialect = {
  bool: (v) => (v ? 1 : 0),
  // BINARY, SQLite's default collation, already compares bytes.
  byBytes: "",
  // LIKE ignores the case of ASCII letters, and only of those.
  foldAscii: (expr) => expr,
};

/**
 * The record stores' port on the one connection: statements wait at the gate outside a
 * transaction (`gate` set) and run directly inside one (`gate` null).
 */
export function sqlitePort(db: Database.Database, gate: TxGate | null): SqlPort {
  const run = runnerFor(gate);
  const port: SqlPort = {
    dialect: SQLITE,
    all: (sql, params) => run(() => db.prepare(sql).all(...params) as Row[]),
    run: (sql, params) =>
      run(() => {
        try {
          return db.prepare(sql).run(...params).changes;
        } catch (e) {
          translateConstraint(e);
        }
      }),
    atomic: (fn) => (gate ? gate.transaction(db, () => fn(inside)) : fn(port)),
  };
  const inside = gate ? sqlitePort(db, null) : port;
  return port;
}
