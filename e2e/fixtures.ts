import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test as base } from "@playwright/test";
import { freePort, waitForServer } from "../src/server/test-net";

/** The real, built server (dist/) on a fresh SQLite data folder in a temp dir. */
export interface RealServer {
  url: string;
  /** Token of "Test App" (scope *), owner `test` / password `test`. */
  token: string;
  pluginKey: string;
  dataDir: string;
  /** Calls the server's REST API with the test app's token (or another). */
  api<T = unknown>(method: string, path: string, body?: unknown, token?: string): Promise<T>;
}

export const MAIN = resolve("dist/node/server/main.js");

/** Stops a server process (once; a process that already exited is left alone). */
export async function exit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
}

export async function startRealServer(
  token = "e2e-test-token-0123456789",
): Promise<RealServer & { stop(): Promise<void>; halt(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), "heedy-explorer-e2e-"));
  rmSync(dataDir, { recursive: true });
  execFileSync("node", [
    MAIN,
    "create",
    dataDir,
    "--username",
    "test",
    "--password",
    "test",
    "--testapp",
    token,
  ]);
  const pluginKey = execFileSync("node", [MAIN, "key", dataDir]).toString().trim();
  const port = await freePort();
  const child = spawn("node", [MAIN, "start", dataDir, "--port", String(port)], { stdio: "pipe" });
  const url = `http://127.0.0.1:${port}`;
  await waitForServer(`${url}/api/server/version`, { child });
  const api = async <T>(method: string, path: string, body?: unknown, tok = token): Promise<T> => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${tok}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    url,
    token,
    pluginKey,
    dataDir,
    api,
    async halt() {
      await exit(child);
    },
    async stop() {
      await exit(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** `server` is one real server per worker; specs keep their data apart by creating their own objects. */
export const test = base.extend<object, { server: RealServer }>({
  server: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright requires the destructuring pattern.
    async ({}, use) => {
      const s = await startRealServer();
      await use(s);
      await s.stop();
    },
    { scope: "worker" },
  ],
});

export { expect } from "@playwright/test";
