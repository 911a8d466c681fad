import type Database from "better-sqlite3";
import type { KvScope, KvStore, UserSettingsStore } from "../types.js";
import type { Runner } from "./gate.js";

const TABLE: Record<KvScope, string> = { users: "kv_users", apps: "kv_apps", objects: "kv_objects" };

export class SqliteKv implements KvStore {
  constructor(
    private readonly db: Database.Database,
    private readonly run: Runner,
  ) {}

  all(scope: KvScope, owner: string, namespace: string) {
    return this.run(() => {
      const rows = this.db
        .prepare(`SELECT key, value FROM ${TABLE[scope]} WHERE owner = ? AND namespace = ? ORDER BY key`)
        .all(owner, namespace) as { key: string; value: string }[];
      const out: Record<string, unknown> = {};
      for (const r of rows) out[r.key] = JSON.parse(r.value);
      return out;
    });
  }

  get(scope: KvScope, owner: string, namespace: string, key: string) {
    return this.run(() => {
      const r = this.db
        .prepare(`SELECT value FROM ${TABLE[scope]} WHERE owner = ? AND namespace = ? AND key = ?`)
        .get(owner, namespace, key) as { value: string } | undefined;
      return r === undefined ? null : JSON.parse(r.value);
    });
  }

  replace(scope: KvScope, owner: string, namespace: string, pairs: Record<string, unknown>) {
    return this.run(() => {
      this.db.transaction(() => {
        this.db
          .prepare(`DELETE FROM ${TABLE[scope]} WHERE owner = ? AND namespace = ?`)
          .run(owner, namespace);
        this.upsertAll(scope, owner, namespace, pairs);
      })();
    });
  }

  merge(scope: KvScope, owner: string, namespace: string, pairs: Record<string, unknown>) {
    return this.run(() => {
      this.db.transaction(() => this.upsertAll(scope, owner, namespace, pairs))();
    });
  }

  set(scope: KvScope, owner: string, namespace: string, key: string, value: unknown) {
    return this.run(() => {
      this.upsertAll(scope, owner, namespace, { [key]: value });
    });
  }

  delete(scope: KvScope, owner: string, namespace: string, key: string) {
    return this.run(() => {
      return (
        this.db
          .prepare(`DELETE FROM ${TABLE[scope]} WHERE owner = ? AND namespace = ? AND key = ?`)
          .run(owner, namespace, key).changes > 0
      );
    });
  }

  private upsertAll(scope: KvScope, owner: string, namespace: string, pairs: Record<string, unknown>) {
    const stmt = this.db.prepare(
      `INSERT INTO ${TABLE[scope]} (owner, namespace, key, value) VALUES (?, ?, ?, ?)
       ON CONFLICT(owner, namespace, key) DO UPDATE SET value = excluded.value`,
    );
    for (const [k, v] of Object.entries(pairs)) stmt.run(owner, namespace, k, JSON.stringify(v ?? null));
  }
}

export class SqliteUserSettings implements UserSettingsStore {
  constructor(
    private readonly db: Database.Database,
    private readonly run: Runner,
  ) {}

  get(username: string, plugin: string) {
    return this.run(() => {
      const rows = this.db
        .prepare("SELECT key, value FROM user_settings WHERE username = ? AND plugin = ? ORDER BY key")
        .all(username, plugin) as { key: string; value: string }[];
      const out: Record<string, unknown> = {};
      for (const r of rows) out[r.key] = JSON.parse(r.value);
      return out;
    });
  }

  patch(username: string, plugin: string, values: Record<string, unknown>) {
    return this.run(() => {
      const upsert = this.db.prepare(
        `INSERT INTO user_settings (username, plugin, key, value) VALUES (?, ?, ?, ?)
         ON CONFLICT(username, plugin, key) DO UPDATE SET value = excluded.value`,
      );
      const remove = this.db.prepare(
        "DELETE FROM user_settings WHERE username = ? AND plugin = ? AND key = ?",
      );
      this.db.transaction(() => {
        for (const [k, v] of Object.entries(values)) {
          if (v === null) remove.run(username, plugin, k);
          else upsert.run(username, plugin, k, JSON.stringify(v));
        }
      })();
    });
  }
}
