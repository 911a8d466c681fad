import type pg from "pg";
import { todayUTC } from "../../dates.js";
import type {
  AppRecord,
  AppStore,
  ObjectFilter,
  ObjectRecord,
  ObjectStore,
  SessionRecord,
  SessionStore,
  UserRecord,
  UserStore,
} from "../types.js";
import { translateConstraint } from "./errors.js";

/** A pool (one statement, any connection) or the client of an open transaction. */
export type Querier = Pick<pg.ClientBase, "query">;

type Row = Record<string, unknown>;

/** `ORDER BY` in bytes, as SQLite sorts, whatever the database's collation. */
const C = 'COLLATE "C"';

/** `UPDATE table SET a = $1, b = $2 WHERE key = $3` for the defined columns of the patch. */
async function updateRow(
  q: Querier,
  table: string,
  keyColumn: string,
  key: string,
  patch: Record<string, unknown>,
  encode: (column: string, value: unknown) => unknown = (_c, v) => v,
): Promise<void> {
  const cols = Object.keys(patch).filter((c) => patch[c] !== undefined);
  if (cols.length === 0) return;
  const sets = cols.map((c, i) => `"${c}" = $${i + 1}`).join(", ");
  const values = cols.map((c) => encode(c, patch[c]));
  await q
    .query(`UPDATE ${table} SET ${sets} WHERE "${keyColumn}" = $${cols.length + 1}`, [...values, key])
    .catch(translateConstraint);
}

export class PgUsers implements UserStore {
  constructor(private readonly q: Querier) {}

  private static decode(r: Row): UserRecord {
    return {
      username: r.username as string,
      name: r.name as string,
      description: r.description as string,
      icon: r.icon as string,
      public_read: r.public_read as boolean,
      users_read: r.users_read as boolean,
      password_hash: r.password_hash as string,
    };
  }

  async get(username: string) {
    const r = await this.q.query("SELECT * FROM users WHERE username = $1", [username]);
    return r.rows[0] && PgUsers.decode(r.rows[0]);
  }

  async list() {
    return (await this.q.query(`SELECT * FROM users ORDER BY username ${C}`)).rows.map(PgUsers.decode);
  }

  async create(u: UserRecord) {
    await this.q
      .query(
        `INSERT INTO users (username, name, description, icon, public_read, users_read, password_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [u.username, u.name, u.description, u.icon, u.public_read, u.users_read, u.password_hash],
      )
      .catch(translateConstraint);
  }

  async update(username: string, patch: Partial<UserRecord>) {
    await updateRow(this.q, "users", "username", username, patch);
  }

  async delete(username: string) {
    return ((await this.q.query("DELETE FROM users WHERE username = $1", [username])).rowCount ?? 0) > 0;
  }
}

export class PgApps implements AppStore {
  constructor(private readonly q: Querier) {}

  private static decode(r: Row): AppRecord {
    return {
      id: r.id as string,
      name: r.name as string,
      description: r.description as string,
      icon: r.icon as string,
      owner: r.owner as string,
      enabled: r.enabled as boolean,
      created_date: r.created_date as string,
      last_access_date: (r.last_access_date as string | null) ?? null,
      scope: r.scope as string,
      settings: JSON.parse(r.settings as string) as Record<string, unknown>,
      settings_schema: JSON.parse(r.settings_schema as string) as Record<string, unknown>,
      plugin: (r.plugin as string | null) ?? null,
      token_hash: (r.token_hash as string | null) ?? null,
    };
  }

  private static encode(c: string, v: unknown): unknown {
    return c === "settings" || c === "settings_schema" ? JSON.stringify(v) : v;
  }

  async get(id: string) {
    const r = await this.q.query("SELECT * FROM apps WHERE id = $1", [id]);
    return r.rows[0] && PgApps.decode(r.rows[0]);
  }

  async byTokenHash(hash: string) {
    const r = await this.q.query("SELECT * FROM apps WHERE token_hash = $1", [hash]);
    return r.rows[0] && PgApps.decode(r.rows[0]);
  }

  async list(filter: { owner?: string; plugin?: string | null; enabled?: boolean }) {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.owner !== undefined) {
      params.push(filter.owner);
      where.push(`owner = $${params.length}`);
    }
    if (filter.plugin === null) where.push("plugin IS NULL");
    else if (filter.plugin !== undefined) {
      params.push(filter.plugin);
      where.push(`plugin = $${params.length}`);
    }
    if (filter.enabled !== undefined) {
      params.push(filter.enabled);
      where.push(`enabled = $${params.length}`);
    }
    const sql = `SELECT * FROM apps ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id ${C}`;
    return (await this.q.query(sql, params)).rows.map(PgApps.decode);
  }

  async create(a: AppRecord) {
    await this.q
      .query(
        `INSERT INTO apps (id, name, description, icon, owner, enabled, created_date, last_access_date, scope,
           settings, settings_schema, plugin, token_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          a.id,
          a.name,
          a.description,
          a.icon,
          a.owner,
          a.enabled,
          a.created_date,
          a.last_access_date,
          a.scope,
          JSON.stringify(a.settings),
          JSON.stringify(a.settings_schema),
          a.plugin,
          a.token_hash,
        ],
      )
      .catch(translateConstraint);
  }

  async update(id: string, patch: Partial<AppRecord>) {
    await updateRow(this.q, "apps", "id", id, patch, PgApps.encode);
  }

  async delete(id: string) {
    return ((await this.q.query("DELETE FROM apps WHERE id = $1", [id])).rowCount ?? 0) > 0;
  }
}

/** ASCII-only case folding: SQLite's LIKE ignores the case of ASCII letters and only those. */
const FOLD = (x: string) => `translate(${x}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')`;

export class PgObjects implements ObjectStore {
  constructor(private readonly q: Querier) {}

  private static decode(r: Row): ObjectRecord {
    return {
      id: r.id as string,
      name: r.name as string,
      description: r.description as string,
      icon: r.icon as string,
      owner: r.owner as string,
      app: (r.app as string | null) ?? null,
      tags: r.tags as string,
      key: (r.key as string | null) ?? null,
      type: r.type as string,
      meta: JSON.parse(r.meta as string) as Record<string, unknown>,
      created_date: r.created_date as string,
      last_modified: (r.last_modified as string | null) ?? null,
      owner_scope: r.owner_scope as string,
      modified_at: (r.modified_at as number | null) ?? null,
    };
  }

  async get(id: string) {
    const r = await this.q.query("SELECT * FROM objects WHERE id = $1", [id]);
    return r.rows[0] && PgObjects.decode(r.rows[0]);
  }

  async list(filter: ObjectFilter) {
    const where: string[] = [];
    const params: unknown[] = [];
    const eq = (col: string, v: string | null | undefined) => {
      if (v === undefined) return;
      if (v === null) where.push(`"${col}" IS NULL`);
      else {
        params.push(v);
        where.push(`"${col}" = $${params.length}`);
      }
    };
    eq("owner", filter.owner);
    eq("app", filter.app);
    eq("key", filter.key);
    eq("type", filter.type);
    // Tags are a space-separated set; padding with spaces makes a whole-word match exact.
    for (const tag of filter.tags ?? []) {
      params.push(`% ${tag.replace(/[\\%_]/g, (c) => `\\${c}`)} %`);
      where.push(`${FOLD("(' ' || tags || ' ')")} LIKE ${FOLD(`$${params.length}`)} ESCAPE '\\'`);
    }
    const sql = `SELECT * FROM objects ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id ${C}`;
    return (await this.q.query(sql, params)).rows.map(PgObjects.decode);
  }

  async create(o: ObjectRecord) {
    await this.q
      .query(
        `INSERT INTO objects (id, name, description, icon, owner, app, tags, key, type, meta, created_date,
           last_modified, owner_scope)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          o.id,
          o.name,
          o.description,
          o.icon,
          o.owner,
          o.app,
          o.tags,
          o.key,
          o.type,
          JSON.stringify(o.meta),
          o.created_date,
          o.last_modified,
          o.owner_scope,
        ],
      )
      .catch(translateConstraint);
  }

  async update(id: string, patch: Partial<ObjectRecord>) {
    await updateRow(this.q, "objects", "id", id, patch, (c, v) => (c === "meta" ? JSON.stringify(v) : v));
  }

  async delete(id: string) {
    return ((await this.q.query("DELETE FROM objects WHERE id = $1", [id])).rowCount ?? 0) > 0;
  }

  async touch(id: string, at: Date) {
    // Every data write moves modified_at, so the row is always written; writers of one object
    // already queue on its series row (locked first, in the same transaction), not on this one.
    await this.q.query("UPDATE objects SET last_modified = $1, modified_at = $2 WHERE id = $3", [
      todayUTC(at),
      at.getTime() / 1000,
      id,
    ]);
  }
}

const SESSION_COLUMNS =
  "sessionid, username, description, created_date, last_access_date, created_at, used_at";

export class PgSessions implements SessionStore {
  constructor(private readonly q: Querier) {}

  async create(s: SessionRecord, tokenHash: string) {
    await this.q
      .query(
        `INSERT INTO sessions (${SESSION_COLUMNS}, token_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          s.sessionid,
          s.username,
          s.description,
          s.created_date,
          s.last_access_date,
          s.created_at,
          s.used_at,
          tokenHash,
        ],
      )
      .catch(translateConstraint);
  }

  async byTokenHash(hash: string) {
    const r = await this.q.query<SessionRecord>(
      `SELECT ${SESSION_COLUMNS} FROM sessions WHERE token_hash = $1`,
      [hash],
    );
    return r.rows[0];
  }

  async list(username: string) {
    const r = await this.q.query<SessionRecord>(
      `SELECT ${SESSION_COLUMNS} FROM sessions WHERE username = $1
       ORDER BY created_at, created_date ${C}, sessionid ${C}`,
      [username],
    );
    return r.rows;
  }

  async touch(sessionid: string, at: number) {
    await this.q.query(
      `UPDATE sessions SET used_at = $1::bigint,
         last_access_date = to_char(to_timestamp($1::bigint / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')
       WHERE sessionid = $2`,
      [at, sessionid],
    );
  }

  async delete(sessionid: string) {
    return ((await this.q.query("DELETE FROM sessions WHERE sessionid = $1", [sessionid])).rowCount ?? 0) > 0;
  }

  async deleteForUser(username: string, keep?: string) {
    const r = await this.q.query(
      "DELETE FROM sessions WHERE username = $1 AND sessionid IS DISTINCT FROM $2",
      [username, keep ?? null],
    );
    return r.rowCount ?? 0;
  }

  async deleteExpired(usedBefore: number, createdBefore: number) {
    const r = await this.q.query("DELETE FROM sessions WHERE used_at < $1 OR created_at < $2", [
      usedBefore,
      createdBefore,
    ]);
    return r.rowCount ?? 0;
  }
}
