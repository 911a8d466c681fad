import type Database from "better-sqlite3";

/**
 * Numbered schema steps; `PRAGMA user_version` records how many ran. Never edit a published step:
 * append a new one.
 */
export const CORE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE users (
     username TEXT PRIMARY KEY NOT NULL,
     name TEXT NOT NULL DEFAULT '',
     description TEXT NOT NULL DEFAULT '',
     icon TEXT NOT NULL DEFAULT '',
     public_read INTEGER NOT NULL DEFAULT 0,
     users_read INTEGER NOT NULL DEFAULT 0,
     password_hash TEXT NOT NULL
   );
   CREATE TABLE apps (
     id TEXT PRIMARY KEY NOT NULL,
     name TEXT NOT NULL,
     description TEXT NOT NULL DEFAULT '',
     icon TEXT NOT NULL DEFAULT '',
     owner TEXT NOT NULL REFERENCES users(username) ON UPDATE CASCADE ON DELETE CASCADE,
     enabled INTEGER NOT NULL DEFAULT 1,
     created_date TEXT NOT NULL,
     last_access_date TEXT,
     scope TEXT NOT NULL DEFAULT '',
     settings TEXT NOT NULL DEFAULT '{}',
     settings_schema TEXT NOT NULL DEFAULT '{}',
     plugin TEXT,
     token_hash TEXT UNIQUE
   );
   CREATE INDEX apps_owner ON apps(owner);
   CREATE TABLE objects (
     id TEXT PRIMARY KEY NOT NULL,
     name TEXT NOT NULL,
     description TEXT NOT NULL DEFAULT '',
     icon TEXT NOT NULL DEFAULT '',
     owner TEXT NOT NULL REFERENCES users(username) ON UPDATE CASCADE ON DELETE CASCADE,
     app TEXT REFERENCES apps(id) ON DELETE CASCADE,
     tags TEXT NOT NULL DEFAULT '',
     key TEXT,
     type TEXT NOT NULL,
     meta TEXT NOT NULL DEFAULT '{}',
     created_date TEXT NOT NULL,
     last_modified TEXT,
     owner_scope TEXT NOT NULL DEFAULT '*',
     CONSTRAINT apps_only_key CHECK (key IS NULL OR app IS NOT NULL),
     UNIQUE (key, app)
   );
   CREATE INDEX objects_owner ON objects(owner);
   CREATE INDEX objects_app ON objects(app);
   CREATE TABLE sessions (
     sessionid TEXT PRIMARY KEY NOT NULL,
     token_hash TEXT NOT NULL UNIQUE,
     username TEXT NOT NULL REFERENCES users(username) ON UPDATE CASCADE ON DELETE CASCADE,
     description TEXT NOT NULL DEFAULT '',
     created_date TEXT NOT NULL,
     last_access_date TEXT NOT NULL
   );
   CREATE TABLE kv_users (
     owner TEXT NOT NULL REFERENCES users(username) ON UPDATE CASCADE ON DELETE CASCADE,
     namespace TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
     PRIMARY KEY (owner, namespace, key)
   );
   CREATE TABLE kv_apps (
     owner TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
     namespace TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
     PRIMARY KEY (owner, namespace, key)
   );
   CREATE TABLE kv_objects (
     owner TEXT NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
     namespace TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
     PRIMARY KEY (owner, namespace, key)
   );`,
  `CREATE TABLE user_settings (
     username TEXT NOT NULL REFERENCES users(username) ON UPDATE CASCADE ON DELETE CASCADE,
     plugin TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
     PRIMARY KEY (username, plugin, key)
   );`,
  // Sessions expire by idle time and age, which need instants, not dates. Sessions from before
  // count from the start of their recorded days, so those past today's limits end at once.
  `ALTER TABLE sessions ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE sessions ADD COLUMN used_at INTEGER NOT NULL DEFAULT 0;
   UPDATE sessions SET
     created_at = COALESCE(CAST(strftime('%s', created_date) AS INTEGER) * 1000, 0),
     used_at = COALESCE(CAST(strftime('%s', last_access_date) AS INTEGER) * 1000, 0);
   CREATE INDEX sessions_username ON sessions(username);`,
  // last_modified is heedy's UTC day; the list sorts by the instant of the last data write, an
  // additive extension (objects.modified_time). Objects written before this step have none.
  `ALTER TABLE objects ADD COLUMN modified_at REAL;`,
];

/**
 * Runs the steps of one family (core, timeseries, …) not yet applied, each in its own transaction.
 * Families keep separate counters so each can append steps without renumbering the others.
 */
export function migrate(db: Database.Database, family: string, steps: readonly string[]): void {
  db.exec(
    "CREATE TABLE IF NOT EXISTS schema_versions (family TEXT PRIMARY KEY NOT NULL, version INTEGER NOT NULL)",
  );
  const row = db.prepare("SELECT version FROM schema_versions WHERE family = ?").get(family) as
    | { version: number }
    | undefined;
  const done = row?.version ?? 0;
  if (done > steps.length) {
    throw new Error(
      `the database was written by a newer heedy-explorer (${family} schema version ${done}, this one knows ${steps.length})`,
    );
  }
  const record = db.prepare(
    "INSERT INTO schema_versions (family, version) VALUES (?, ?) ON CONFLICT(family) DO UPDATE SET version = excluded.version",
  );
  for (let i = done; i < steps.length; i++) {
    db.transaction(() => {
      db.exec(steps[i]!);
      record.run(family, i + 1);
    })();
  }
}
