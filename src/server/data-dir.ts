import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join, resolve } from "node:path";
import type { ServerContext } from "./context.js";
import { hashToken, newToken } from "./secrets.js";
import { createApp } from "./services/apps.js";
import { createUser, RESERVED_USERNAMES } from "./services/users.js";
import type { Store } from "./store/index.js";
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
}

const CONFIG = "heedy.json";
const DATABASE = "heedy.db";
const PLUGIN_KEY = "plugin.key";

export interface CreateOptions {
  username: string;
  password: string;
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
  mkdirSync(root, { recursive: true });
  const config: DataDirConfig = { admin_users: [opts.username] };
  writeFileSync(join(root, CONFIG), `${JSON.stringify(config, null, 2)}\n`);
  writeFileSync(join(root, PLUGIN_KEY), `${newToken()}${newToken()}\n`, { mode: 0o600 });
  chmodSync(join(root, PLUGIN_KEY), 0o600);
  const store = openSqliteStore(join(root, DATABASE));
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
): ServerContext {
  const adminUsers = new Set(config.admin_users);
  return {
    store,
    pluginKey,
    adminUsers,
    renameAdmin(from, to) {
      if (!adminUsers.delete(from)) return;
      adminUsers.add(to);
      config.admin_users = [...adminUsers];
      if (configFile) writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
    },
    authFailureDelayMs: 1000,
    objectTypes: ["timeseries"],
    version,
  };
}

/** Opens an existing data folder, explaining plainly what is wrong if it cannot. */
export function openDataDir(dir: string, version = "0.0.0"): ServerContext {
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
  try {
    config = JSON.parse(readFileSync(join(root, CONFIG), "utf8")) as DataDirConfig;
    if (!Array.isArray(config.admin_users)) throw new Error("admin_users must be a list of usernames");
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
  let store: Store;
  try {
    store = openSqliteStore(join(root, DATABASE));
  } catch (e) {
    throw new DataDirError(`${join(root, DATABASE)} cannot be opened: ${(e as Error).message}`);
  }
  return contextFor(store, pluginKey, config, version, join(root, CONFIG));
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
  } else {
    await createApp(
      ctx.store,
      { name: appName, owner, scope: "*", description: "The heedy-explorer browser app" },
      token,
    );
  }
  return token;
}
