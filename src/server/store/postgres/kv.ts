import type { KvScope, KvStore, UserSettingsStore } from "../types.js";
import type { Querier } from "./records.js";

const TABLE: Record<KvScope, string> = { users: "kv_users", apps: "kv_apps", objects: "kv_objects" };

/** Runs `fn` in a transaction of its own, or inside the one already open. */
export type Atomic = <T>(fn: (q: Querier) => Promise<T>) => Promise<T>;

/** Upserts pairs in one statement: arrays of keys and values, unnested. */
async function upsert(
  q: Querier,
  table: string,
  cols: string,
  fixed: string[],
  pairs: Record<string, unknown>,
) {
  const keys = Object.keys(pairs);
  if (keys.length === 0) return;
  const values = keys.map((k) => JSON.stringify(pairs[k] ?? null));
  await q.query(
    `INSERT INTO ${table} (${cols}) SELECT $1, $2, k, v FROM unnest($3::text[], $4::text[]) AS u(k, v)
     ON CONFLICT (${cols.split(",").slice(0, 3).join(",")}) DO UPDATE SET value = excluded.value`,
    [...fixed, keys, values],
  );
}

export class PgKv implements KvStore {
  constructor(
    private readonly q: Querier,
    private readonly atomic: Atomic,
  ) {}

  async all(scope: KvScope, owner: string, namespace: string) {
    const r = await this.q.query<{ key: string; value: string }>(
      `SELECT key, value FROM ${TABLE[scope]} WHERE owner = $1 AND namespace = $2 ORDER BY key COLLATE "C"`,
      [owner, namespace],
    );
    const out: Record<string, unknown> = {};
    for (const row of r.rows) out[row.key] = JSON.parse(row.value);
    return out;
  }

  async get(scope: KvScope, owner: string, namespace: string, key: string) {
    const r = await this.q.query<{ value: string }>(
      `SELECT value FROM ${TABLE[scope]} WHERE owner = $1 AND namespace = $2 AND key = $3`,
      [owner, namespace, key],
    );
    return r.rows[0] === undefined ? null : JSON.parse(r.rows[0].value);
  }

  async replace(scope: KvScope, owner: string, namespace: string, pairs: Record<string, unknown>) {
    await this.atomic(async (q) => {
      await q.query(`DELETE FROM ${TABLE[scope]} WHERE owner = $1 AND namespace = $2`, [owner, namespace]);
      await upsert(q, TABLE[scope], "owner, namespace, key, value", [owner, namespace], pairs);
    });
  }

  async merge(scope: KvScope, owner: string, namespace: string, pairs: Record<string, unknown>) {
    await upsert(this.q, TABLE[scope], "owner, namespace, key, value", [owner, namespace], pairs);
  }

  async set(scope: KvScope, owner: string, namespace: string, key: string, value: unknown) {
    await upsert(this.q, TABLE[scope], "owner, namespace, key, value", [owner, namespace], { [key]: value });
  }

  async delete(scope: KvScope, owner: string, namespace: string, key: string) {
    const r = await this.q.query(
      `DELETE FROM ${TABLE[scope]} WHERE owner = $1 AND namespace = $2 AND key = $3`,
      [owner, namespace, key],
    );
    return (r.rowCount ?? 0) > 0;
  }
}

export class PgUserSettings implements UserSettingsStore {
  constructor(
    private readonly q: Querier,
    private readonly atomic: Atomic,
  ) {}

  async get(username: string, plugin: string) {
    const r = await this.q.query<{ key: string; value: string }>(
      `SELECT key, value FROM user_settings WHERE username = $1 AND plugin = $2 ORDER BY key COLLATE "C"`,
      [username, plugin],
    );
    const out: Record<string, unknown> = {};
    for (const row of r.rows) out[row.key] = JSON.parse(row.value);
    return out;
  }

  async patch(username: string, plugin: string, values: Record<string, unknown>) {
    const set: Record<string, unknown> = {};
    const gone: string[] = [];
    for (const [k, v] of Object.entries(values)) {
      if (v === null) gone.push(k);
      else set[k] = v;
    }
    await this.atomic(async (q) => {
      if (gone.length > 0) {
        await q.query(
          "DELETE FROM user_settings WHERE username = $1 AND plugin = $2 AND key = ANY($3::text[])",
          [username, plugin, gone],
        );
      }
      await upsert(q, "user_settings", "username, plugin, key, value", [username, plugin], set);
    });
  }
}
