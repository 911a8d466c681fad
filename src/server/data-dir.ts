import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { AdminList } from "./admin-list.js";
import type { ServerContext, SessionPolicy } from "./context.js";
import { type EventBus, LocalEventBus } from "./events/bus.js";
import { appEvent } from "./events/event-of.js";
import { PgEventBus } from "./events/pg-bus.js";
import { type HttpLimits, parseLimits } from "./http/limits.js";
import { PRIVATE_MODE, restrictModes, writePrivateFileAtomic } from "./private-files.js";
import { hashToken, newToken } from "./secrets.js";
import { createApp } from "./services/apps.js";
import { createUser, RESERVED_USERNAMES } from "./services/users.js";
import type { Store } from "./store/index.js";
import { isPostgresUrl, openPostgresStore } from "./store/postgres/open.js";
import { openSqliteStore } from "./store/sqlite/open.js";
import { checkUsername } from "./validate.js";

/** A data folder problem a person can act on; the CLI prints the message without a stack trace. */
export class DataDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DataDirError";
  }
}

interface DataDirConfig {
  admin_users: string[];
  /** HTTP and storage bounds (http/limits.ts documents each); optional. */
  limits?: unknown;
  /** Hours a browser session may go unused before it ends (default 14 days). */
  session_idle_hours?: number;
  /** Hours after login a browser session ends however it is used (default 90 days). */
  session_max_age_hours?: number;
  /** A PostgreSQL URL (`postgres://…`); absent means the folder's own SQLite file. */
  database?: string;
}

const CONFIG = "heedy.json";
const DATABASE = "heedy.db";
const PLUGIN_KEY = "plugin.key";

const HOUR_MS = 3600 * 1000;
export const DEFAULT_SESSION_IDLE_HOURS = 14 * 24;
export const DEFAULT_SESSION_MAX_AGE_HOURS = 90 * 24;

/** Every file of the folder that holds a secret or user data (SQLite's WAL and shared memory too). */
function privateFiles(root: string): string[] {
  const db = join(root, DATABASE);
  return [join(root, CONFIG), join(root, PLUGIN_KEY), db, `${db}-wal`, `${db}-shm`, `${db}-journal`];
}

function writeConfig(file: string, config: DataDirConfig): void {
  writePrivateFileAtomic(file, `${JSON.stringify(config, null, 2)}\n`);
}

export interface CreateOptions {
  username: string;
  password: string;
  /** A PostgreSQL URL to keep the data in (recorded in heedy.json); default: SQLite in the folder. */
  database?: string;
  /** Also create "Test App" (scope `*`) with exactly this token, like heedy's `--testapp`. */
  testapp?: string;
}

/** Creates a data folder with its first (admin) user. Refuses a folder that already holds data. */
export async function createDataDir(dir: string, opts: CreateOptions): Promise<void> {
  const root = resolve(dir);
  if (existsSync(root)) {
    if (!statSync(root).isDirectory()) throw new DataDirError(`${root} exists and is not a folder`);
    if (readdirSync(root).length > 0) throw new DataDirError(`${root} is not empty; choose a new folder`);
  }
  checkUsernameForCli(opts.username);
  if (opts.password === "") throw new DataDirError("the password must not be empty");
  const database = opts.database;
  if (database !== undefined) checkDatabaseUrl(database);
  let store: Store | undefined;
  if (database !== undefined) {
    store = await openPostgres(database);
    if ((await store.users.list()).length > 0) {
      await store.close();
      throw new DataDirError(
        `the database ${redactUrl(database)} already holds users; create needs an empty one`,
      );
    }
  }
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const config: DataDirConfig = { admin_users: [opts.username], ...(database ? { database } : {}) };
  writeConfig(join(root, CONFIG), config);
  writePrivateFileAtomic(join(root, PLUGIN_KEY), `${newToken()}${newToken()}\n`);
  if (!store) {
    // SQLite gives its -wal and -shm files the database file's mode, so an owner-only empty file
    // made here keeps every later database file owner-only too.
    writeFileSync(join(root, DATABASE), "", { mode: PRIVATE_MODE, flag: "wx" });
    restrictModes([join(root, DATABASE)]);
    store = openSqliteStore(join(root, DATABASE));
  }
  try {
    await createUser(store, { username: opts.username, password: opts.password });
    if (opts.testapp !== undefined) {
      await createApp(store, { name: "Test App", owner: opts.username, scope: "*" }, opts.testapp);
    }
  } finally {
    await store.close();
  }
}

function checkUsernameForCli(username: string) {
  if (RESERVED_USERNAMES.has(username)) throw new DataDirError(`"${username}" is a reserved username`);
  try {
    checkUsername(username);
  } catch {
    throw new DataDirError(`"${username}" is not a valid username (a letter, then letters, digits, _ or -)`);
  }
}

function contextFor(
  store: Store,
  pluginKey: string,
  config: DataDirConfig,
  version = "0.0.0",
  configFile?: string,
  limits?: HttpLimits,
  events: EventBus = new LocalEventBus(),
): ServerContext {
  const adminUsers = new AdminList(config.admin_users, configFile, (names) => {
    config.admin_users = names;
    if (configFile) writeConfig(configFile, config);
  });
  return {
    store,
    pluginKey,
    adminUsers,
    renameAdmin: (from, to) => adminUsers.rename(from, to),
    forgetAdmin: (username) => adminUsers.forget(username),
    setAdmin: (username, admin) => adminUsers.set(username, admin),
    sessionPolicy: sessionPolicy(config),
    authFailureDelayMs: 1000,
    objectTypes: ["timeseries"],
    events,
    version,
    limits,
  };
}

function sessionPolicy(config: DataDirConfig): SessionPolicy {
  const hours = (key: "session_idle_hours" | "session_max_age_hours", fallback: number) => {
    const value = config[key] ?? fallback;
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
      throw new Error(`${key} must be a positive number of hours`);
    }
    return value * HOUR_MS;
  };
  return {
    idleMs: hours("session_idle_hours", DEFAULT_SESSION_IDLE_HOURS),
    maxAgeMs: hours("session_max_age_hours", DEFAULT_SESSION_MAX_AGE_HOURS),
  };
}

/**
 * A folder with its configuration but without a database lost its data (a bad restore, a
 * mistaken delete); opening it would quietly make an empty database and every token would fail.
 */
function checkDatabasePresent(root: string): void {
  const db = join(root, DATABASE);
  const size = (file: string) => (existsSync(file) ? statSync(file).size : 0);
  if (size(db) === 0 && size(`${db}-wal`) === 0) {
    throw new DataDirError(
      `${db} is missing or empty although ${CONFIG} is there, so the data may be lost: restore ${DATABASE} from a backup, or move the folder aside and create a new one`,
    );
  }
}

/** A connection URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparsable URL)";
  }
}

export function checkDatabaseUrl(url: string): void {
  if (!isPostgresUrl(url)) {
    throw new DataDirError(
      `${redactUrl(url)} is not a PostgreSQL URL (postgres://user:password@host/database)`,
    );
  }
}

async function openPostgres(url: string): Promise<Store> {
  try {
    return await openPostgresStore(url);
  } catch (e) {
    throw new DataDirError(`the database ${redactUrl(url)} cannot be opened: ${(e as Error).message}`);
  }
}

/**
 * Several processes may serve one PostgreSQL database, so their events travel through it
 * (LISTEN/NOTIFY). The bus lives as long as the store: closing the store closes it too.
 */
async function openEventBus(url: string, store: Store, secret: string): Promise<EventBus> {
  let bus: PgEventBus;
  try {
    bus = await PgEventBus.open(url, {
      secret,
      log: (message, err) =>
        console.warn(`heedy-explorer: ${message}${err instanceof Error ? `: ${err.message}` : ""}`),
    });
  } catch (e) {
    await store.close();
    throw new DataDirError(`the database ${redactUrl(url)} cannot be opened: ${(e as Error).message}`);
  }
  const closeStore = store.close.bind(store);
  store.close = async () => {
    await bus.close();
    await closeStore();
  };
  return bus;
}

/**
 * Where the data lives: `--database`, else HEEDY_DATABASE_URL, else heedy.json's `database`, else
 * the folder's SQLite file (undefined).
 */
function chooseDatabase(config: DataDirConfig, flag: string | undefined): string | undefined {
  const url = flag ?? process.env.HEEDY_DATABASE_URL ?? config.database;
  if (url === undefined || url === "") return undefined;
  checkDatabaseUrl(url);
  return url;
}

export interface OpenOptions {
  /** `start --database URL`: overrides HEEDY_DATABASE_URL and heedy.json. */
  database?: string;
}

/** Opens an existing data folder, explaining plainly what is wrong if it cannot. */
export async function openDataDir(
  dir: string,
  version = "0.0.0",
  opts: OpenOptions = {},
): Promise<ServerContext> {
  const root = resolve(dir);
  if (!existsSync(root)) {
    throw new DataDirError(
      `${root} does not exist; create it with: heedy-explorer create ${dir} --username NAME`,
    );
  }
  if (!existsSync(join(root, CONFIG))) {
    throw new DataDirError(`${root} is not a heedy-explorer data folder (${CONFIG} is missing)`);
  }
  let config: DataDirConfig;
  let limits: HttpLimits;
  try {
    config = JSON.parse(readFileSync(join(root, CONFIG), "utf8")) as DataDirConfig;
    if (!Array.isArray(config.admin_users)) throw new Error("admin_users must be a list of usernames");
    limits = parseLimits(config.limits);
    sessionPolicy(config);
  } catch (e) {
    throw new DataDirError(`${join(root, CONFIG)} is corrupt: ${(e as Error).message}`);
  }
  let pluginKey: string;
  try {
    pluginKey = readFileSync(join(root, PLUGIN_KEY), "utf8").trim();
  } catch {
    throw new DataDirError(`${join(root, PLUGIN_KEY)} is missing or unreadable`);
  }
  if (pluginKey.length < 20) throw new DataDirError(`${join(root, PLUGIN_KEY)} is corrupt (too short)`);
  const database = chooseDatabase(config, opts.database);
  if (database !== undefined) {
    restrictModes(privateFiles(root));
    const store = await openPostgres(database);
    const events = await openEventBus(database, store, pluginKey);
    return contextFor(store, pluginKey, config, version, join(root, CONFIG), limits, events);
  }
  checkDatabasePresent(root);
  // Folders made by older versions (or copied with a loose umask) are narrowed on every start.
  restrictModes(privateFiles(root));
  let store: Store;
  try {
    store = openSqliteStore(join(root, DATABASE), { maxBytes: limits.databaseBytes });
  } catch (e) {
    throw new DataDirError(`${join(root, DATABASE)} cannot be opened: ${(e as Error).message}`);
  }
  restrictModes(privateFiles(root));
  return contextFor(store, pluginKey, config, version, join(root, CONFIG), limits);
}

/**
 * The SQLite file of a folder that keeps its data there (what `migrate` copies from), explaining
 * plainly when the folder is not one.
 */
export function sqliteFileOf(dir: string): string {
  const root = resolve(dir);
  if (!existsSync(join(root, CONFIG))) {
    throw new DataDirError(`${root} is not a heedy-explorer data folder (${CONFIG} is missing)`);
  }
  const config = JSON.parse(readFileSync(join(root, CONFIG), "utf8")) as DataDirConfig;
  if (config.database) {
    throw new DataDirError(`${root} already keeps its data in ${redactUrl(config.database)}`);
  }
  checkDatabasePresent(root);
  return join(root, DATABASE);
}

/** Points the folder at `url` from now on: `start` reads heedy.json's `database`. */
export function recordDatabase(dir: string, url: string): void {
  const file = join(resolve(dir), CONFIG);
  const config = JSON.parse(readFileSync(file, "utf8")) as DataDirConfig;
  writeConfig(file, { ...config, database: url });
}

export function isDataDir(dir: string): boolean {
  return existsSync(join(resolve(dir), CONFIG));
}

export function readPluginKey(dir: string): string {
  return openPluginKey(resolve(dir));
}

function openPluginKey(root: string): string {
  try {
    return readFileSync(join(root, PLUGIN_KEY), "utf8").trim();
  } catch {
    throw new DataDirError(`${join(root, PLUGIN_KEY)} is missing; is ${root} a heedy-explorer data folder?`);
  }
}

/** Makes (or remakes) the named app of the first admin user, returning its new token. */
export async function issueAppToken(ctx: ServerContext, appName: string): Promise<string> {
  const owner = [...ctx.adminUsers][0];
  if (owner === undefined || !(await ctx.store.users.get(owner))) {
    throw new DataDirError("the data folder has no admin user");
  }
  const existing = (await ctx.store.apps.list({ owner })).find((a) => a.name === appName);
  const token = newToken();
  if (existing) {
    await ctx.store.apps.update(existing.id, { token_hash: hashToken(token), enabled: true });
    // Sockets opened with the old token must close (at once across PostgreSQL processes).
    const updated = await ctx.store.apps.get(existing.id);
    if (updated) ctx.events.publish(appEvent("app_update", updated));
  } else {
    await createApp(
      ctx.store,
      { name: appName, owner, scope: "*", description: "The heedy-explorer browser app" },
      token,
    );
  }
  return token;
}
