import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { buildApp } from "./app.js";
import type { ServerContext } from "./context.js";
import { createDataDir, openDataDir } from "./data-dir.js";
import { createDatabase, dropDatabase } from "./store/postgres/test-cluster.js";

export interface TestServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:40123 */
  url: string;
  /** Token of "Test App" (scope `*`) owned by user `test` (password `test`). */
  token: string;
  pluginKey: string;
  dataDir: string;
  ctx: ServerContext;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** Which store the integration suites run on: HEEDY_TEST_STORE=postgres, else SQLite. */
export const TEST_STORE: "sqlite" | "postgres" =
  process.env.HEEDY_TEST_STORE === "postgres" ? "postgres" : "sqlite";

/**
 * A fresh database in the run's throwaway cluster (store/postgres/test-global-setup.ts) when the
 * suites run on PostgreSQL.
 */
export async function testDatabase(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  if (TEST_STORE !== "postgres") return undefined;
  const cluster = process.env.HEEDY_TEST_PG_CLUSTER;
  if (!cluster)
    throw new Error("HEEDY_TEST_STORE=postgres needs the PostgreSQL globalSetup (vitest.config.ts)");
  const url = await createDatabase(cluster);
  return { url, drop: () => dropDatabase(cluster, url) };
}

/**
 * The real server on a fresh temporary data folder and an ephemeral port, as heedy's own suite
 * sets it up (contract 13): user test/test and "Test App" with scope `*`.
 */
export async function startTestServer(
  opts: {
    token?: string;
    authFailureDelayMs?: number;
    /** heedy.json's `limits` (snake_case keys), written before the folder is opened. */
    limits?: Record<string, number>;
    /** buildApp's `compression` (default "remote": none for these loopback tests). */
    compression?: "on" | "off" | "remote";
    /** A built app folder to serve at `/`. */
    staticDir?: string;
  } = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "heedy-explorer-test-"));
  const token = opts.token ?? "testkey";
  const pg = await testDatabase();
  await createDataDir(dataDir, { username: "test", password: "test", testapp: token, database: pg?.url });
  if (opts.limits) {
    const file = join(dataDir, "heedy.json");
    const config = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...config, limits: opts.limits }));
  }
  const ctx = await openDataDir(dataDir, "test");
  ctx.authFailureDelayMs = opts.authFailureDelayMs ?? 10;
  const app = await buildApp({ ctx, compression: opts.compression, staticDir: opts.staticDir });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    pluginKey: ctx.pluginKey,
    dataDir,
    ctx,
    app,
    async close() {
      await app.close();
      await ctx.store.close();
      await pg?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
