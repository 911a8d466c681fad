#!/usr/bin/env node
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { userInfo } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type ParseArgsConfig, parseArgs } from "node:util";
import { buildApp } from "./app.js";
import {
  createDataDir,
  DataDirError,
  isDataDir,
  issueAppToken,
  openDataDir,
  readPluginKey,
} from "./data-dir.js";
import { migrateDataDir } from "./migrate.js";
import { updateUser } from "./services/users.js";

const here = dirname(fileURLToPath(import.meta.url));
/** dist/node/server → package root; src/server under tsx → package root. */
const packageRoot = resolve(here, here.includes(`${"dist"}`) ? "../../.." : "../..");

const USAGE = `heedy-explorer: a heedy-compatible personal-data server with a browser explorer

Usage:
  heedy-explorer create DIR --username U --password P [--testapp TOKEN] [--database URL]
      Create a data folder with its first (admin) user. --testapp also creates "Test App"
      (scope *) whose access token is TOKEN, like heedy's own --testapp. --database keeps the
      data in an empty PostgreSQL database (postgres://…) instead of the folder's SQLite file.
  heedy-explorer start DIR [--host H] [--port P] [--init] [--log-level L] [--database URL]
                           [--compression M] [--testplugin]
      Serve the API and the browser app (default 127.0.0.1:1324). With --init, a missing DIR is
      created with a user and an app "Explorer", and a login link is printed. --database (or
      HEEDY_DATABASE_URL, or "database" in heedy.json) serves a PostgreSQL database; any
      number of processes may serve the same one. --compression remote (default: gzip/brotli
      except for loopback clients), on or off. --testplugin serves heedy's plugin test hook
      (GET /api/testplugin, plugin key included) for heedy's Python suite; loopback only.
  heedy-explorer start --upstream URL [--host H] [--port P]
      Serve the browser app and forward /api and /auth to an existing heedy server.
  heedy-explorer token DIR [--app NAME]
      Give the app NAME (default "Explorer") a new access token and print a login link.
  heedy-explorer key DIR
      Print the plugin key (for X-Heedy-Key).
  heedy-explorer passwd DIR USERNAME --password P
      Set a user's password.
  heedy-explorer migrate DIR --to URL
      Copy the folder's SQLite data into an empty PostgreSQL database (postgres://…), compare
      counts and a checksum of every series on both sides, and point heedy.json at it. Stop
      the server first.
`;

class UsageError extends Error {}

/** Every flag any command takes; each command reads the ones it needs. */
const OPTIONS = {
  username: { type: "string" },
  password: { type: "string" },
  testapp: { type: "string" },
  host: { type: "string" },
  port: { type: "string" },
  "log-level": { type: "string" },
  compression: { type: "string" },
  upstream: { type: "string" },
  app: { type: "string" },
  database: { type: "string" },
  to: { type: "string" },
  init: { type: "boolean" },
  testplugin: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsConfig["options"];

interface Flags {
  username?: string;
  password?: string;
  testapp?: string;
  host?: string;
  port?: string;
  "log-level"?: string;
  compression?: string;
  upstream?: string;
  app?: string;
  database?: string;
  to?: string;
  init?: boolean;
  testplugin?: boolean;
  help?: boolean;
}

/**
 * Reads the command line with parseArgs in its lenient mode and judges each option token here, so
 * a mistake is one plain sentence naming the flag rather than parseArgs's own wording. A value
 * that looks like a flag (`--port --init`) counts as missing; `--password=-x` passes a dash.
 */
function readArgs(argv: string[]): { positional: string[]; flags: Flags } {
  const { positionals, tokens } = parseArgs({
    args: argv,
    options: OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const flags: Record<string, string | boolean> = {};
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const spec = (OPTIONS as Record<string, { type: "string" | "boolean" }>)[token.name];
    if (spec === undefined) throw new UsageError(`unknown flag ${token.rawName}`);
    if (spec.type === "boolean") {
      if (token.value !== undefined) throw new UsageError(`${token.rawName} takes no value`);
      flags[token.name] = true;
    } else {
      if (token.value === undefined || (!token.inlineValue && token.value.startsWith("-"))) {
        throw new UsageError(`${token.rawName} needs a value`);
      }
      flags[token.name] = token.value;
    }
  }
  // Each entry was checked against OPTIONS above, so it has the type Flags gives it.
  return { positional: positionals, flags: flags as Flags };
}

function version(): string {
  try {
    return (JSON.parse(readFileSync(resolve(packageRoot, "package.json"), "utf8")) as { version: string })
      .version;
  } catch {
    return "0.0.0";
  }
}

function linkHost(host: string): string {
  return host === "127.0.0.1" || host === "0.0.0.0" || host === "::" || host === "::1" ? "localhost" : host;
}

/** A username for the first-run user: the login name when it is a valid heedy username. */
function defaultUsername(): string {
  try {
    const name = userInfo().username;
    if (/^[a-zA-Z][a-zA-Z0-9_-]*$/.test(name) && name !== "root") return name;
  } catch {
    // No passwd entry (containers): fall through.
  }
  return "me";
}

/**
 * `--testplugin` publishes the plugin key without authentication (heedy's test hook), so it is
 * refused anywhere but on a loopback address.
 */
function checkTestPluginHost(host: string): void {
  if (host !== "127.0.0.1" && host !== "localhost" && host !== "::1") {
    throw new UsageError("--testplugin publishes the plugin key; it is only allowed with a loopback --host");
  }
}

async function start(dir: string | undefined, flags: Flags): Promise<void> {
  const host = flags.host ?? "127.0.0.1";
  const portText = flags.port ?? "1324";
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port ${portText} is not a port`);
  const upstream = flags.upstream;
  const staticDir = resolve(packageRoot, "dist/app");
  const level = flags["log-level"] ?? "warn";
  const compression = flags.compression ?? "remote";
  if (compression !== "remote" && compression !== "on" && compression !== "off") {
    throw new UsageError(`--compression ${compression} is not one of remote, on, off`);
  }
  const logger = {
    level,
    redact: ["req.headers.authorization", "req.headers.cookie", 'req.headers["x-heedy-key"]'],
  };

  if (upstream) {
    try {
      new URL(upstream);
    } catch {
      throw new UsageError(`--upstream ${upstream} is not a URL (e.g. http://localhost:1324)`);
    }
    const app = await buildApp({ upstream, staticDir, logger, compression });
    await app.listen({ host, port });
    console.log(`http://${linkHost(host)}:${port}/  (forwarding /api and /auth to ${upstream})`);
    shutdownOn(app.close.bind(app));
    return;
  }
  if (dir === undefined) throw new UsageError("start needs a data folder (or --upstream URL)");

  let firstToken: string | undefined;
  if (flags.init === true && !isDataDir(dir)) {
    await createDataDir(dir, {
      username: defaultUsername(),
      password: randomBytes(18).toString("base64url"),
      database: flags.database ?? process.env.HEEDY_DATABASE_URL,
    });
    const ctx = await openDataDir(dir, version(), { database: flags.database });
    firstToken = await issueAppToken(ctx, "Explorer");
    await ctx.store.close();
  }
  const testPlugin = flags.testplugin === true;
  if (testPlugin) checkTestPluginHost(host);
  const ctx = await openDataDir(dir, version(), { database: flags.database });
  const app = await buildApp({ ctx, staticDir, logger, compression, testPlugin });
  try {
    await app.listen({ host, port });
  } catch (e) {
    await ctx.store.close();
    const code = (e as { code?: string }).code;
    if (code === "EADDRINUSE") throw new UsageError(`port ${port} on ${host} is already in use (try --port)`);
    throw e;
  }
  const url = `http://${linkHost(host)}:${port}/`;
  if (firstToken) console.log(`${url}#token=${firstToken}`);
  else
    console.log(`${url}  (log in with an app token; "heedy-explorer token ${dir}" prints a new login link)`);
  shutdownOn(async () => {
    await app.close();
    await ctx.store.close();
  });
}

function shutdownOn(close: () => Promise<unknown>) {
  let closing = false;
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.on(sig, () => {
      if (closing) return;
      closing = true;
      close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

async function main(argv: string[]): Promise<void> {
  const { positional, flags } = readArgs(argv);
  const [command, dir, ...rest] = positional;
  if (command === undefined || command === "help" || flags.help === true) {
    console.log(USAGE);
    return;
  }
  switch (command) {
    case "create": {
      if (dir === undefined) throw new UsageError("create needs a data folder");
      const username = flags.username;
      const password = flags.password;
      if (!username || !password) throw new UsageError("create needs --username and --password");
      const testapp = flags.testapp;
      await createDataDir(dir, { username, password, testapp, database: flags.database });
      console.log(`Created ${resolve(dir)} with user "${username}".`);
      console.log(`Plugin key (X-Heedy-Key): ${readPluginKey(dir)}`);
      return;
    }
    case "start":
      return start(dir, flags);
    case "token": {
      if (dir === undefined) throw new UsageError("token needs a data folder");
      const ctx = await openDataDir(dir, version(), { database: flags.database });
      try {
        const token = await issueAppToken(ctx, flags.app ?? "Explorer");
        console.log(`http://localhost:${flags.port ?? "1324"}/#token=${token}`);
      } finally {
        await ctx.store.close();
      }
      return;
    }
    case "key":
      if (dir === undefined) throw new UsageError("key needs a data folder");
      console.log(readPluginKey(dir));
      return;
    case "passwd": {
      const username = rest[0];
      const password = flags.password;
      if (dir === undefined || username === undefined || !password) {
        throw new UsageError("passwd needs a data folder, a username and --password");
      }
      const ctx = await openDataDir(dir, version(), { database: flags.database });
      try {
        const user = await ctx.store.users.get(username);
        if (!user) throw new DataDirError(`there is no user "${username}"`);
        // A password set from the command line ends every browser session of the user.
        await updateUser(
          ctx.store,
          user,
          { password },
          {
            renameAdmin: (from, to) => ctx.renameAdmin(from, to),
            isAdminName: (name) => ctx.adminUsers.has(name),
            // On PostgreSQL this reaches every server process, whose sockets of the ended
            // sessions close at once; on SQLite their periodic recheck closes them.
            events: ctx.events,
          },
        );
      } finally {
        await ctx.store.close();
      }
      console.log(`Password of "${username}" changed.`);
      return;
    }
    case "migrate": {
      if (dir === undefined || !flags.to) throw new UsageError("migrate needs a data folder and --to URL");
      const report = await migrateDataDir(dir, flags.to, {
        progress: (line) => console.error(line),
        out: (line) => console.log(line),
      });
      if (!report.ok) process.exitCode = 1;
      return;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  if (e instanceof UsageError) {
    console.error(`heedy-explorer: ${e.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (e instanceof DataDirError) {
    console.error(`heedy-explorer: ${e.message}`);
    process.exit(1);
  }
  console.error(`heedy-explorer: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
