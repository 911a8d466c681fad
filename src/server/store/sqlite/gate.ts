import type Database from "better-sqlite3";

/**
 * The one SQLite connection serves every request, so while an async transaction (Store.transaction)
 * is open, any other statement on the connection would land inside it. The gate holds other work
 * back until the transaction ends. Each statement batch runs synchronously right after the gate is
 * seen open, so nothing can slip in between the check and the work.
 */
export class TxGate {
  private held: Promise<void> | null = null;

  /** Runs `fn` (synchronous) once no transaction is open. */
  async run<T>(fn: () => T): Promise<T> {
    while (this.held) await this.held;
    return fn();
  }

  /** Runs `fn` inside BEGIN IMMEDIATE … COMMIT, holding every other user of the connection back. */
  async transaction<T>(db: Database.Database, fn: () => Promise<T>): Promise<T> {
    while (this.held) await this.held;
    let release!: () => void;
    this.held = new Promise((r) => {
      release = r;
    });
    try {
      db.exec("BEGIN IMMEDIATE");
      let out: T;
      try {
        out = await fn();
      } catch (e) {
        if (db.inTransaction) db.exec("ROLLBACK");
        throw e;
      }
      db.exec("COMMIT");
      return out;
    } finally {
      this.held = null;
      release();
    }
  }
}

/** Statement runner of one store view: gated outside a transaction, direct inside one. */
export type Runner = <T>(fn: () => T) => Promise<T>;

export function runnerFor(gate: TxGate | null): Runner {
  if (gate) return (fn) => gate.run(fn);
  return async (fn) => fn();
}
