/**
 * Users, apps, objects, sessions, KV and user settings over a SqlPort: one copy of the record
 * SQL and its row mapping for both databases. What differs between them (booleans, byte order,
 * case folding in LIKE, placeholders, constraint errors) lives in the port.
 */
import { todayUTC } from "../dates.js";
import type { Store } from "./index.js";
import type { Row, SqlPort } from "./record-sql.js";
import type {
  AppRecord,
  AppStore,
  KvScope,
  KvStore,
  ObjectFilter,
  ObjectRecord,
  ObjectStore,
  SessionRecord,
  SessionStore,
  UserRecord,
  UserSettingsStore,
  UserStore,
} from "./types.js";

/** How a column is stored: JSON documents as text, booleans as the port binds them. */
type Kind = "text" | "text?" | "bool" | "json" | "number?";

interface TableSpec {
  name: string;
  /** The primary key, also the list order. */
  key: string;
  /** Every column a record writes, in insert order. */
  columns: Record<string, Kind>;
  /** Columns the database sets (read, never inserted). */
  derived?: Record<string, Kind>;
}

function encode(sql: SqlPort, kind: Kind | undefined, value: unknown): unknown {
  if (kind === "bool") return sql.dialect.bool(Boolean(value));
  if (kind === "json") return JSON.stringify(value);
  return value;
}

function decode(kind: Kind, value: unknown): unknown {
  if (kind === "bool") return Boolean(value);
  if (kind === "json") return JSON.parse(value as string);
  if (kind === "text?" || kind === "number?") return value ?? null;
  return value;
}

async function first(sql: SqlPort, text: string, params: readonly unknown[]): Promise<Row | undefined> {
  return (await sql.all(text, params))[0];
}

/** One record table: the statements users, apps and objects share, and their row mapping. */
class Table<T extends object> {
  private readonly columns: string[];

  constructor(
    protected readonly sql: SqlPort,
    private readonly spec: TableSpec,
  ) {
    this.columns = Object.keys(spec.columns);
  }

  private decode(r: Row): T {
    const out: Row = {};
    for (const kinds of [this.spec.columns, this.spec.derived ?? {}]) {
      for (const [c, kind] of Object.entries(kinds)) out[c] = decode(kind, r[c]);
    }
    return out as T;
  }

  protected async getBy(column: string, value: string): Promise<T | undefined> {
    const r = await first(this.sql, `SELECT * FROM ${this.spec.name} WHERE "${column}" = ?`, [value]);
    return r && this.decode(r);
  }

  get(key: string): Promise<T | undefined> {
    return this.getBy(this.spec.key, key);
  }

  /** Rows matching every condition (with `?` for `params`), in key order by bytes. */
  protected async select(where: readonly string[], params: readonly unknown[]): Promise<T[]> {
    const filter = where.length ? `WHERE ${where.join(" AND ")}` : "";
    const rows = await this.sql.all(
      `SELECT * FROM ${this.spec.name} ${filter} ORDER BY "${this.spec.key}"${this.sql.dialect.byBytes}`,
      params,
    );
    return rows.map((r) => this.decode(r));
  }

  async create(record: T): Promise<void> {
    const values = record as Row;
    await this.sql.run(
      `INSERT INTO ${this.spec.name} (${this.columns.map((c) => `"${c}"`).join(", ")})
       VALUES (${this.columns.map(() => "?").join(", ")})`,
      this.columns.map((c) => encode(this.sql, this.spec.columns[c], values[c])),
    );
  }

  /** Sets the defined columns of the patch; a patch of a key renames (cascading where declared). */
  async update(key: string, patch: Partial<T>): Promise<void> {
    const values = patch as Row;
    const cols = Object.keys(values).filter((c) => values[c] !== undefined);
    if (cols.length === 0) return;
    // Column names go into the statement's text: only the table's own.
    const unknown = cols.find(
      (c) => !(Object.hasOwn(this.spec.columns, c) || Object.hasOwn(this.spec.derived ?? {}, c)),
    );
    if (unknown) throw new Error(`${this.spec.name} has no column ${JSON.stringify(unknown)}`);
    await this.sql.run(
      `UPDATE ${this.spec.name} SET ${cols.map((c) => `"${c}" = ?`).join(", ")} WHERE "${this.spec.key}" = ?`,
      [...cols.map((c) => encode(this.sql, this.spec.columns[c], values[c])), key],
    );
  }

  async delete(key: string): Promise<boolean> {
    return (await this.sql.run(`DELETE FROM ${this.spec.name} WHERE "${this.spec.key}" = ?`, [key])) > 0;
  }
}

const USERS: TableSpec = {
  name: "users",
  key: "username",
  columns: {
    username: "text",
    name: "text",
    description: "text",
    icon: "text",
    public_read: "bool",
    users_read: "bool",
    password_hash: "text",
  },
};

export class SqlUsers extends Table<UserRecord> implements UserStore {
  constructor(sql: SqlPort) {
    super(sql, USERS);
  }

  list() {
    return this.select([], []);
  }
}

/** The leading columns of apps and objects: things a user owns, with a name and an icon. */
const OWNED: Record<string, Kind> = {
  id: "text",
  name: "text",
  description: "text",
  icon: "text",
  owner: "text",
};

const APPS: TableSpec = {
  name: "apps",
  key: "id",
  columns: {
    ...OWNED,
    enabled: "bool",
    created_date: "text",
    last_access_date: "text?",
    scope: "text",
    settings: "json",
    settings_schema: "json",
    plugin: "text?",
    token_hash: "text?",
  },
};

export class SqlApps extends Table<AppRecord> implements AppStore {
  constructor(sql: SqlPort) {
    super(sql, APPS);
  }

  byTokenHash(hash: string) {
    return this.getBy("token_hash", hash);
  }

  list(filter: { owner?: string; plugin?: string | null; enabled?: boolean }) {
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
      params.push(this.sql.dialect.bool(filter.enabled));
    }
    return this.select(where, params);
  }
}

const OBJECTS: TableSpec = {
  name: "objects",
  key: "id",
  columns: {
    ...OWNED,
    app: "text?",
    tags: "text",
    key: "text?",
    type: "text",
    meta: "json",
    created_date: "text",
    last_modified: "text?",
    owner_scope: "text",
  },
  derived: { modified_at: "number?" },
};

export class SqlObjects extends Table<ObjectRecord> implements ObjectStore {
  constructor(sql: SqlPort) {
    super(sql, OBJECTS);
  }

  list(filter: ObjectFilter) {
    const { foldAscii } = this.sql.dialect;
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
      where.push(`${foldAscii("(' ' || tags || ' ')")} LIKE ${foldAscii("?")} ESCAPE '\\'`);
      params.push(`% ${tag.replace(/[\\%_]/g, (c) => `\\${c}`)} %`);
    }
    return this.select(where, params);
  }

  async touch(id: string, at: Date) {
    // Every data write moves modified_at, so the row is always written; on PostgreSQL writers
    // of one object already queue on its series row (locked first, in the same transaction).
    await this.sql.run("UPDATE objects SET last_modified = ?, modified_at = ? WHERE id = ?", [
      todayUTC(at),
      at.getTime() / 1000,
      id,
    ]);
  }
}

const SESSION_COLUMNS = [
  "sessionid",
  "username",
  "description",
  "created_date",
  "last_access_date",
  "created_at",
  "used_at",
];

export class SqlSessions implements SessionStore {
  constructor(private readonly sql: SqlPort) {}

  async create(s: SessionRecord, tokenHash: string) {
    const values: unknown[] = SESSION_COLUMNS.map((c) => s[c as keyof SessionRecord]);
    await this.sql.run(
      `INSERT INTO sessions (${SESSION_COLUMNS.join(", ")}, token_hash)
       VALUES (${SESSION_COLUMNS.map(() => "?").join(", ")}, ?)`,
      [...values, tokenHash],
    );
  }

  async byTokenHash(hash: string) {
    const r = await first(
      this.sql,
      `SELECT ${SESSION_COLUMNS.join(", ")} FROM sessions WHERE token_hash = ?`,
      [hash],
    );
    return r as SessionRecord | undefined;
  }

  async list(username: string) {
    const b = this.sql.dialect.byBytes;
    const rows = await this.sql.all(
      `SELECT ${SESSION_COLUMNS.join(", ")} FROM sessions WHERE username = ?
       ORDER BY created_at, created_date${b}, sessionid${b}`,
      [username],
    );
    return rows as unknown as SessionRecord[];
  }

  async touch(sessionid: string, at: number) {
    await this.sql.run("UPDATE sessions SET used_at = ?, last_access_date = ? WHERE sessionid = ?", [
      at,
      todayUTC(new Date(at)),
      sessionid,
    ]);
  }

  async delete(sessionid: string) {
    return (await this.sql.run("DELETE FROM sessions WHERE sessionid = ?", [sessionid])) > 0;
  }

  async deleteForUser(username: string, keep?: string) {
    if (keep === undefined) return this.sql.run("DELETE FROM sessions WHERE username = ?", [username]);
    return this.sql.run("DELETE FROM sessions WHERE username = ? AND sessionid <> ?", [username, keep]);
  }

  async deleteExpired(usedBefore: number, createdBefore: number) {
    return this.sql.run("DELETE FROM sessions WHERE used_at < ? OR created_at < ?", [
      usedBefore,
      createdBefore,
    ]);
  }
}

const KV_TABLE: Record<KvScope, string> = { users: "kv_users", apps: "kv_apps", objects: "kv_objects" };

/**
 * Pairs per statement: 4 parameters each stays far below both databases' parameter limits
 * (SQLite 32,766, PostgreSQL 65,535), whatever a client PUTs at once.
 */
const PAIRS_PER_STATEMENT = 500;

/** Upserts `pairs` under the two leading key columns (owner and namespace, or user and plugin). */
async function upsertPairs(
  sql: SqlPort,
  table: string,
  keyColumns: readonly [string, string],
  fixed: readonly [string, string],
  pairs: Record<string, unknown>,
): Promise<void> {
  const entries = Object.entries(pairs);
  for (let i = 0; i < entries.length; i += PAIRS_PER_STATEMENT) {
    const slice = entries.slice(i, i + PAIRS_PER_STATEMENT);
    await sql.run(
      `INSERT INTO ${table} (${keyColumns.join(", ")}, key, value) VALUES ${slice.map(() => "(?, ?, ?, ?)").join(", ")}
       ON CONFLICT (${keyColumns.join(", ")}, key) DO UPDATE SET value = excluded.value`,
      slice.flatMap(([k, v]) => [...fixed, k, JSON.stringify(v ?? null)]),
    );
  }
}

/** `{key: value}` of rows holding JSON text, in the order the rows came. */
function pairsOf(rows: Row[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const r of rows) out[r.key as string] = JSON.parse(r.value as string);
  return out;
}

export class SqlKv implements KvStore {
  constructor(private readonly sql: SqlPort) {}

  async all(scope: KvScope, owner: string, namespace: string) {
    const rows = await this.sql.all(
      `SELECT key, value FROM ${KV_TABLE[scope]} WHERE owner = ? AND namespace = ? ORDER BY key${this.sql.dialect.byBytes}`,
      [owner, namespace],
    );
    return pairsOf(rows);
  }

  async get(scope: KvScope, owner: string, namespace: string, key: string) {
    const r = await first(
      this.sql,
      `SELECT value FROM ${KV_TABLE[scope]} WHERE owner = ? AND namespace = ? AND key = ?`,
      [owner, namespace, key],
    );
    return r === undefined ? null : JSON.parse(r.value as string);
  }

  async replace(scope: KvScope, owner: string, namespace: string, pairs: Record<string, unknown>) {
    await this.sql.atomic(async (sql) => {
      await sql.run(`DELETE FROM ${KV_TABLE[scope]} WHERE owner = ? AND namespace = ?`, [owner, namespace]);
      await upsertPairs(sql, KV_TABLE[scope], ["owner", "namespace"], [owner, namespace], pairs);
    });
  }

  async merge(scope: KvScope, owner: string, namespace: string, pairs: Record<string, unknown>) {
    await this.sql.atomic((sql) =>
      upsertPairs(sql, KV_TABLE[scope], ["owner", "namespace"], [owner, namespace], pairs),
    );
  }

  async set(scope: KvScope, owner: string, namespace: string, key: string, value: unknown) {
    await upsertPairs(this.sql, KV_TABLE[scope], ["owner", "namespace"], [owner, namespace], {
      [key]: value,
    });
  }

  async delete(scope: KvScope, owner: string, namespace: string, key: string) {
    const changed = await this.sql.run(
      `DELETE FROM ${KV_TABLE[scope]} WHERE owner = ? AND namespace = ? AND key = ?`,
      [owner, namespace, key],
    );
    return changed > 0;
  }
}

export class SqlUserSettings implements UserSettingsStore {
  constructor(private readonly sql: SqlPort) {}

  async get(username: string, plugin: string) {
    const rows = await this.sql.all(
      `SELECT key, value FROM user_settings WHERE username = ? AND plugin = ? ORDER BY key${this.sql.dialect.byBytes}`,
      [username, plugin],
    );
    return pairsOf(rows);
  }

  async patch(username: string, plugin: string, values: Record<string, unknown>) {
    const set: Record<string, unknown> = {};
    const gone: string[] = [];
    for (const [k, v] of Object.entries(values)) {
      if (v === null) gone.push(k);
      else set[k] = v;
    }
    await this.sql.atomic(async (sql) => {
      for (let i = 0; i < gone.length; i += PAIRS_PER_STATEMENT) {
        const slice = gone.slice(i, i + PAIRS_PER_STATEMENT);
        await sql.run(
          `DELETE FROM user_settings WHERE username = ? AND plugin = ? AND key IN (${slice.map(() => "?").join(", ")})`,
          [username, plugin, ...slice],
        );
      }
      await upsertPairs(sql, "user_settings", ["username", "plugin"], [username, plugin], set);
    });
  }
}

/** Every record store over one port: the part of a Store view both databases build alike. */
export function recordStores(
  sql: SqlPort,
): Pick<Store, "users" | "apps" | "objects" | "sessions" | "kv" | "settings"> {
  return {
    users: new SqlUsers(sql),
    apps: new SqlApps(sql),
    objects: new SqlObjects(sql),
    sessions: new SqlSessions(sql),
    kv: new SqlKv(sql),
    settings: new SqlUserSettings(sql),
  };
}
