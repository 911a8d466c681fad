import type Database from "better-sqlite3";
import { constraintOf } from "../../../core/constraints.js";
import { todayUTC } from "../../dates.js";
import {
  type AppRecord,
  type AppStore,
  ConstraintError,
  type ObjectFilter,
  type ObjectRecord,
  type ObjectStore,
  type SessionRecord,
  type SessionStore,
  type UserRecord,
  type UserStore,
} from "../types.js";
import type { Runner } from "./gate.js";

type Row = Record<string, unknown>;

/** Builds `SET a = @a, b = @b` for the given columns, mapping values through `encode`. */
function updateStatement(
  db: Database.Database,
  table: string,
  keyColumn: string,
  patch: Record<string, unknown>,
  encode: (column: string, value: unknown) => unknown,
): { run(key: string): number } {
  const cols = Object.keys(patch).filter((c) => patch[c] !== undefined);
  if (cols.length === 0) return { run: () => 0 };
  const sql = `UPDATE ${table} SET ${cols.map((c) => `"${c}" = @${c}`).join(", ")} WHERE "${keyColumn}" = @__key`;
  const params: Record<string, unknown> = {};
  for (const c of cols) params[c] = encode(c, patch[c]);
  return {
    run: (key) => {
      params.__key = key;
      return db.prepare(sql).run(params).changes;
    },
  };
}

/** SQLite's constraint texts are heedy's own (contract 6.2 step 7): read the name back from them. */
function translateConstraint(err: unknown): never {
  const name = err instanceof Error ? constraintOf(err.message) : undefined;
  if (name) throw new ConstraintError(name);
  throw err;
}

const bool = (v: unknown) => (v ? 1 : 0);

export class SqliteUsers implements UserStore {
  constructor(
    private readonly db: Database.Database,
    private readonly run: Runner,
  ) {}

  private static decode(r: Row): UserRecord {
    return {
      username: r.username as string,
      name: r.name as string,
      description: r.description as string,
      icon: r.icon as string,
      public_read: r.public_read === 1,
      users_read: r.users_read === 1,
      password_hash: r.password_hash as string,
    };
  }

  get(username: string) {
    return this.run(() => {
      const r = this.db.prepare("SELECT * FROM users WHERE username = ?").get(username) as Row | undefined;
      return r && SqliteUsers.decode(r);
    });
  }

  list() {
    return this.run(() => {
      return (this.db.prepare("SELECT * FROM users ORDER BY username").all() as Row[]).map(
        SqliteUsers.decode,
      );
    });
  }

  create(u: UserRecord) {
    return this.run(() => {
      try {
        this.db
          .prepare(
            `INSERT INTO users (username, name, description, icon, public_read, users_read, password_hash)
             VALUES (@username, @name, @description, @icon, @public_read, @users_read, @password_hash)`,
          )
          .run({ ...u, public_read: bool(u.public_read), users_read: bool(u.users_read) });
      } catch (e) {
        translateConstraint(e);
      }
    });
  }

  update(username: string, patch: Partial<UserRecord>) {
    return this.run(() => {
      try {
        updateStatement(this.db, "users", "username", patch, (c, v) =>
          c === "public_read" || c === "users_read" ? bool(v) : v,
        ).run(username);
      } catch (e) {
        translateConstraint(e);
      }
    });
  }

  delete(username: string) {
    return this.run(() => {
      return this.db.prepare("DELETE FROM users WHERE username = ?").run(username).changes > 0;
    });
  }
}

export class SqliteApps implements AppStore {
  constructor(
    private readonly db: Database.Database,
    private readonly run: Runner,
  ) {}

  private static decode(r: Row): AppRecord {
    return {
      id: r.id as string,
      name: r.name as string,
      description: r.description as string,
      icon: r.icon as string,
      owner: r.owner as string,
      enabled: r.enabled === 1,
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
    if (c === "enabled") return bool(v);
    if (c === "settings" || c === "settings_schema") return JSON.stringify(v);
    return v;
  }

  get(id: string) {
    return this.run(() => {
      const r = this.db.prepare("SELECT * FROM apps WHERE id = ?").get(id) as Row | undefined;
      return r && SqliteApps.decode(r);
    });
  }

  byTokenHash(hash: string) {
    return this.run(() => {
      const r = this.db.prepare("SELECT * FROM apps WHERE token_hash = ?").get(hash) as Row | undefined;
      return r && SqliteApps.decode(r);
    });
  }

  list(filter: { owner?: string; plugin?: string | null; enabled?: boolean }) {
    return this.run(() => {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.owner !== undefined) {
        where.push("owner = ?");
        params.push(filter.owner);
      }
      if (filter.plugin === null) where.push("plugin IS NULL");
      else if (filter.plugin !== undefined) {
        where.push("plugin = ?");
        params.push(filter.plugin);
      }
      if (filter.enabled !== undefined) {
        where.push("enabled = ?");
        params.push(bool(filter.enabled));
      }
      const sql = `SELECT * FROM apps ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id`;
      return (this.db.prepare(sql).all(...params) as Row[]).map(SqliteApps.decode);
    });
  }

  create(a: AppRecord) {
    return this.run(() => {
      const row: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(a)) row[k] = SqliteApps.encode(k, v);
      try {
        this.db
          .prepare(
            `INSERT INTO apps (id, name, description, icon, owner, enabled, created_date, last_access_date, scope,
               settings, settings_schema, plugin, token_hash)
             VALUES (@id, @name, @description, @icon, @owner, @enabled, @created_date, @last_access_date, @scope,
               @settings, @settings_schema, @plugin, @token_hash)`,
          )
          .run(row);
      } catch (e) {
        translateConstraint(e);
      }
    });
  }

  update(id: string, patch: Partial<AppRecord>) {
    return this.run(() => {
      try {
        updateStatement(this.db, "apps", "id", patch, SqliteApps.encode).run(id);
      } catch (e) {
        translateConstraint(e);
      }
    });
  }

  delete(id: string) {
    return this.run(() => {
      return this.db.prepare("DELETE FROM apps WHERE id = ?").run(id).changes > 0;
    });
  }
}

export class SqliteObjects implements ObjectStore {
  constructor(
    private readonly db: Database.Database,
    private readonly run: Runner,
  ) {}

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

  private static encode(c: string, v: unknown): unknown {
    return c === "meta" ? JSON.stringify(v) : v;
  }

  get(id: string) {
    return this.run(() => {
      const r = this.db.prepare("SELECT * FROM objects WHERE id = ?").get(id) as Row | undefined;
      return r && SqliteObjects.decode(r);
    });
  }

  list(filter: ObjectFilter) {
    return this.run(() => {
      const where: string[] = [];
      const params: unknown[] = [];
      const eq = (col: string, v: string | null | undefined) => {
        if (v === undefined) return;
        if (v === null) where.push(`"${col}" IS NULL`);
        else {
          where.push(`"${col}" = ?`);
          params.push(v);
        }
      };
      eq("owner", filter.owner);
      eq("app", filter.app);
      eq("key", filter.key);
      eq("type", filter.type);
      // Tags are a space-separated set; padding with spaces makes a whole-word match exact.
      for (const tag of filter.tags ?? []) {
        where.push(`(' ' || tags || ' ') LIKE ? ESCAPE '\\'`);
        params.push(`% ${tag.replace(/[\\%_]/g, (c) => `\\${c}`)} %`);
      }
      const sql = `SELECT * FROM objects ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id`;
      return (this.db.prepare(sql).all(...params) as Row[]).map(SqliteObjects.decode);
    });
  }

  create(o: ObjectRecord) {
    return this.run(() => {
      try {
        this.db
          .prepare(
            `INSERT INTO objects (id, name, description, icon, owner, app, tags, key, type, meta, created_date,
               last_modified, owner_scope)
             VALUES (@id, @name, @description, @icon, @owner, @app, @tags, @key, @type, @meta, @created_date,
               @last_modified, @owner_scope)`,
          )
          .run({ ...o, meta: JSON.stringify(o.meta) });
      } catch (e) {
        translateConstraint(e);
      }
    });
  }

  update(id: string, patch: Partial<ObjectRecord>) {
    return this.run(() => {
      try {
        updateStatement(this.db, "objects", "id", patch, SqliteObjects.encode).run(id);
      } catch (e) {
        translateConstraint(e);
      }
    });
  }

  delete(id: string) {
    return this.run(() => {
      return this.db.prepare("DELETE FROM objects WHERE id = ?").run(id).changes > 0;
    });
  }

  touch(id: string, at: Date) {
    return this.run(() => {
      this.db
        .prepare("UPDATE objects SET last_modified = ?, modified_at = ? WHERE id = ?")
        .run(todayUTC(at), at.getTime() / 1000, id);
    });
  }
}

const SESSION_COLUMNS =
  "sessionid, username, description, created_date, last_access_date, created_at, used_at";

export class SqliteSessions implements SessionStore {
  constructor(
    private readonly db: Database.Database,
    private readonly run: Runner,
  ) {}

  create(s: SessionRecord, tokenHash: string) {
    return this.run(() => {
      this.db
        .prepare(
          `INSERT INTO sessions (${SESSION_COLUMNS}, token_hash)
           VALUES (@sessionid, @username, @description, @created_date, @last_access_date, @created_at, @used_at, @token_hash)`,
        )
        .run({ ...s, token_hash: tokenHash });
    });
  }

  byTokenHash(hash: string) {
    return this.run(() => {
      return this.db.prepare(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE token_hash = ?`).get(hash) as
        | SessionRecord
        | undefined;
    });
  }

  list(username: string) {
    return this.run(() => {
      return this.db
        .prepare(
          `SELECT ${SESSION_COLUMNS} FROM sessions WHERE username = ? ORDER BY created_at, created_date, sessionid`,
        )
        .all(username) as SessionRecord[];
    });
  }

  touch(sessionid: string, at: number) {
    return this.run(() => {
      this.db
        .prepare(
          "UPDATE sessions SET used_at = @at, last_access_date = strftime('%Y-%m-%d', @at / 1000, 'unixepoch') WHERE sessionid = @sessionid",
        )
        .run({ at, sessionid });
    });
  }

  delete(sessionid: string) {
    return this.run(() => {
      return this.db.prepare("DELETE FROM sessions WHERE sessionid = ?").run(sessionid).changes > 0;
    });
  }

  deleteForUser(username: string, keep?: string) {
    return this.run(() => {
      return this.db
        .prepare("DELETE FROM sessions WHERE username = ? AND sessionid IS NOT ?")
        .run(username, keep ?? null).changes;
    });
  }

  deleteExpired(usedBefore: number, createdBefore: number) {
    return this.run(() => {
      return this.db
        .prepare("DELETE FROM sessions WHERE used_at < ? OR created_at < ?")
        .run(usedBefore, createdBefore).changes;
    });
  }
}
