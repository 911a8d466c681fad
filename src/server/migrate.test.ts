/**
 * `migrate`: a SQLite folder with data of every kind moves into a fresh PostgreSQL database, and
 * a server started on the folder afterwards answers every read exactly as before. Runs in the
 * postgres project only (it needs the run's throwaway cluster).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildApp } from "./app.js";
import { createDataDir, DataDirError, openDataDir } from "./data-dir.js";
import { migrateDataDir } from "./migrate.js";
import {
  type Clients,
  clientsFor,
  createApp,
  createObject,
  createUser,
  expectOk,
  Http,
  login,
} from "./test-http.js";
import { type TestServer, testDatabase } from "./testing.js";

const temp = mkdtempSync(join(tmpdir(), "heedy-explorer-migrate-"));
const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const drop of drops) await drop();
  rmSync(temp, { recursive: true, force: true });
});

async function freshDatabase(): Promise<string> {
  const db = await testDatabase();
  if (!db) throw new Error("this suite runs in the postgres project (HEEDY_TEST_STORE=postgres)");
  drops.push(db.drop);
  return db.url;
}

let folders = 0;
async function sqliteFolder(): Promise<string> {
  const dir = join(temp, `data${++folders}`);
  await createDataDir(dir, { username: "test", password: "test", testapp: "testkey" });
  return dir;
}

/** The real server on `dir`, on whichever database its heedy.json names. */
async function serve(dir: string): Promise<TestServer> {
  const ctx = await openDataDir(dir, "test");
  ctx.authFailureDelayMs = 10;
  const app = await buildApp({ ctx });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    token: "testkey",
    pluginKey: ctx.pluginKey,
    dataDir: dir,
    ctx,
    app,
    async close() {
      await app.close();
      await ctx.store.close();
    },
  };
}

interface Fixture {
  /** Reads whose answers must survive the move unchanged: [client, path]. */
  reads: [Http, string][];
  bigId: string;
}

/** Users, apps, objects, KV of all three scopes, settings, a session and several series. */
async function populate(c: Clients): Promise<Fixture> {
  await createUser(c, "alice", "alicepw", { name: "Alice", description: "a second user", public_read: true });
  const other = await createApp(c, "alice", {
    name: "Other",
    scope: "self.objects",
    settings_schema: { type: "object", properties: { a: { type: "array" } } },
    settings: { a: [1, 2] },
  });
  const session = await login(c, "test", "test");
  expectOk(await session.patch("/api/users/test/settings/timeseries", { visualizations: [{ name: "v" }] }));

  const big = await createObject(c.app, { name: "big", tags: "sensor hr" });
  const bigId = big.id as string;
  // 40,000 points in 20 requests (about 40 chunks), then 499 cut from the middle, so chunks
  // of every fill level and re-cut ones are copied.
  for (let b = 0; b < 20; b++) {
    const points = Array.from({ length: 2000 }, (_, i) => ({
      t: 1_600_000_000 + b * 2000 + i,
      d: (i % 97) / 7,
    }));
    expect((await c.app.post(`/api/objects/${bigId}/timeseries`, points)).status).toBe(200);
  }
  const cut = await c.app.delete(`/api/objects/${bigId}/timeseries?t1=1600010000.5&t2=1600010500`);
  expect(cut.status, cut.text).toBe(200);

  const json = await createObject(c.app, {
    name: "notes",
    key: "notes",
    meta: { schema: { type: "object" } },
    description: "JSON values with durations",
  });
  const jsonId = json.id as string;
  const notes = Array.from({ length: 50 }, (_, i) => ({ t: 1000 + i * 10, dt: 5, d: { i, text: `n${i}` } }));
  expect((await c.app.post(`/api/objects/${jsonId}/timeseries`, notes)).status).toBe(200);
  const alices = await createObject(other.http, { name: "alice's", tags: "x" });
  const aliceId = alices.id as string;
  expect((await other.http.post(`/api/objects/${aliceId}/timeseries`, [{ t: 5, d: "text" }])).status).toBe(
    200,
  );
  await createObject(c.app, { name: "empty" });

  expectOk(await c.plugin.post("/api/kv/users/test/ns", { a: 1, b: { c: [true, null] } }));
  expectOk(await c.app.post("/api/kv/apps/self/self", { key: "value" }));
  expectOk(await c.plugin.post(`/api/kv/objects/${bigId}/ns`, { unit: "bpm" }));

  const ts = (id: string) => `/api/objects/${id}/timeseries`;
  const reads: [Http, string][] = [
    [c.plugin, "/api/users"],
    [c.plugin, "/api/users/alice"],
    [c.plugin, "/api/apps"],
    [c.app, "/api/apps/self"],
    [other.http, "/api/apps/self"],
    [c.plugin, "/api/objects?limit=100"],
    [c.app, "/api/objects?tags=sensor"],
    [c.app, "/api/objects?key=notes"],
    // The list with its write times (objects.modified_time) proves modified_at was copied.
    [c.app, "/api/objects?modified_time=true"],
    [c.app, `/api/objects/${bigId}`],
    [c.app, ts(bigId)],
    [c.app, `${ts(bigId)}/length`],
    [c.app, `${ts(bigId)}?t1=1600010400&t2=1600010600`],
    [c.app, `${ts(bigId)}?i1=-5`],
    [c.app, `${ts(bigId)}/plot?columns=50`],
    [c.app, `${ts(bigId)}?transform=mean`],
    [c.app, ts(jsonId)],
    [other.http, ts(aliceId)],
    [c.plugin, "/api/kv/users/test/ns"],
    [c.app, "/api/kv/apps/self/self"],
    [c.plugin, `/api/kv/objects/${bigId}/ns/unit`],
    [session, "/api/users/test/settings"],
    [session, "/api/users/test/sessions"],
  ];
  return { reads, bigId };
}

/** Each read with its credentials, sent to the server at `base` (the port changes on restart). */
async function answers(reads: [Http, string][], base: string): Promise<string[]> {
  const out: string[] = [];
  for (const [http, path] of reads) {
    const res = await new Http(base, http.defaults).get(path);
    out.push(`${path} ${res.status} ${res.text}`);
  }
  return out;
}

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/server/main.ts", ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, HEEDY_DATABASE_URL: "" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => {
      stdout += b.toString();
    });
    child.stderr.on("data", (b: Buffer) => {
      stderr += b.toString();
    });
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("migrate DIR --to postgres://…", () => {
  it("copies every kind of data, checks it, and the server answers identically on PostgreSQL", async () => {
    const dir = await sqliteFolder();
    const url = await freshDatabase();
    let server = await serve(dir);
    const fixture = await populate(await clientsFor(server));
    const before = await answers(fixture.reads, server.url);
    // Every read worked (this is no comparison of two failures).
    expect(before.filter((line) => !/ 200 /.test(line))).toEqual([]);
    await server.close();

    const progress: string[] = [];
    const out: string[] = [];
    const report = await migrateDataDir(dir, url, {
      progress: (l) => progress.push(l),
      out: (l) => out.push(l),
      progressIntervalMs: 0,
    });
    expect(report.ok).toBe(true);
    // Every table held something, and both sides agree row for row.
    for (const t of report.tables) {
      expect(t.source, t.table).toBeGreaterThan(0);
      expect(t.target, t.table).toBe(t.source);
    }
    const chunks = report.tables.find((t) => t.table === "timeseries_chunks")!;
    expect(chunks.source).toBeGreaterThan(30);
    // The empty object has no series row yet; the other three do.
    expect(report.series).toHaveLength(3);
    for (const s of report.series) {
      expect(s.points.target).toBe(s.points.source);
      expect(s.sha256.target).toBe(s.sha256.source);
    }
    expect(report.series.find((s) => s.objectId === fixture.bigId)!.points.source).toBe(39_501);
    expect(progress[0]).toMatch(/^migrate: copying [\d,]+ rows$/);
    expect(progress.at(-1)).toMatch(/^migrate: 100% /);
    expect(progress.length).toBeGreaterThan(3);
    expect(out.join("\n")).toContain("series: 3 of 3 match");
    expect(out.at(-1)).toMatch(/^Done: heedy.json now names postgres:/);
    expect(JSON.parse(readFileSync(join(dir, "heedy.json"), "utf8")).database).toBe(url);

    // Without its SQLite file the folder can only be serving PostgreSQL.
    for (const f of ["heedy.db", "heedy.db-wal", "heedy.db-shm"]) rmSync(join(dir, f), { force: true });
    server = await serve(dir);
    try {
      expect(await answers(fixture.reads, server.url)).toEqual(before);
      // New chunks are numbered after the copied ones, and writes go on where SQLite stopped.
      const c = await clientsFor(server);
      const more = Array.from({ length: 3000 }, (_, i) => ({ t: 1_700_000_000 + i, d: i }));
      expect((await c.app.post(`/api/objects/${fixture.bigId}/timeseries`, more)).status).toBe(200);
      expect((await c.app.get(`/api/objects/${fixture.bigId}/timeseries/length`)).text).toBe("42501");
      // A login made on SQLite still works: the session was copied with its hashed token.
      const r = await new Http(server.url, fixture.reads.at(-1)![0].defaults).get("/api/users/test/sessions");
      expect(r.status).toBe(200);
    } finally {
      await server.close();
    }
  }, 120_000);

  it("refuses a database that already holds data, and leaves the folder as it was", async () => {
    const url = await freshDatabase();
    const first = await sqliteFolder();
    expect((await migrateDataDir(first, url)).ok).toBe(true);
    const second = await sqliteFolder();
    await expect(migrateDataDir(second, url)).rejects.toThrow(DataDirError);
    await expect(migrateDataDir(second, url)).rejects.toThrow(
      /already holds data \(users: 1, apps: 1\); migrate needs an empty one$/,
    );
    expect(JSON.parse(readFileSync(join(second, "heedy.json"), "utf8")).database).toBeUndefined();

    // The command line says so in one sentence and fails.
    const run = await cli(["migrate", second, "--to", url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^heedy-explorer: the database postgres:\/\/.* already holds data/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    // A folder already on PostgreSQL is no source.
    await expect(migrateDataDir(first, url)).rejects.toThrow(/already keeps its data in postgres:/);
  }, 60_000);
});
