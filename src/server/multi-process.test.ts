/**
 * Several server processes on one PostgreSQL database: two real `start` children share a fresh
 * database, and many clients write to one series through both at once. Every acknowledged point
 * must be stored exactly once. Writers of one series queue on the series row's lock in the
 * database (store/postgres/timeseries.ts), never in a process, so this holds across processes.
 * Runs in the postgres project only.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDataDir, readPluginKey } from "./data-dir.js";
import { freePort, waitForServer } from "./test-net.js";
import { TestSocket } from "./test-ws.js";
import { testDatabase } from "./testing.js";

const TOKEN = "multi-process-token";
const WRITERS = 12;
const BATCHES = 15;
const BATCH = 200;

const temp = mkdtempSync(join(tmpdir(), "heedy-explorer-multi-"));
const dir = join(temp, "data");
const children = new Set<ChildProcess>();
let drop: (() => Promise<void>) | undefined;
let urls: string[] = [];

function finished(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

/** A `start` process on the folder (heedy.json names the database); resolves once it answers. */
async function startProcess(): Promise<string> {
  const port = await freePort();
  const env = { ...process.env };
  delete env.HEEDY_DATABASE_URL;
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/server/main.ts", "start", dir, "--port", String(port)],
    { stdio: ["ignore", "pipe", "pipe"], env },
  );
  children.add(child);
  child.on("exit", () => children.delete(child));
  const url = `http://127.0.0.1:${port}`;
  await waitForServer(`${url}/api/server/version`, { child, timeoutMs: 30_000 });
  return url;
}

beforeAll(async () => {
  const db = await testDatabase();
  if (!db) throw new Error("this suite runs in the postgres project (HEEDY_TEST_STORE=postgres)");
  drop = db.drop;
  await createDataDir(dir, { username: "test", password: "test", testapp: TOKEN, database: db.url });
  urls = await Promise.all([startProcess(), startProcess()]);
}, 60_000);

afterAll(async () => {
  for (const child of children) {
    child.kill("SIGTERM");
    await finished(child);
  }
  await drop?.();
  rmSync(temp, { recursive: true, force: true });
});

const headers = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };

async function post(url: string, body: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: "POST", headers, body: JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
}

describe("two server processes on one database", () => {
  it("stores every acknowledged point exactly once when many clients write one series through both", async () => {
    const [a, b] = urls as [string, string];
    const created = await post(`${a}/api/objects`, { name: "shared", type: "timeseries" });
    expect(created.status, created.text).toBe(200);
    const id = (JSON.parse(created.text) as { id: string }).id;
    // The object made through one process is there in the other.
    expect((await fetch(`${b}/api/objects/${id}`, { headers })).status).toBe(200);

    // Writer w's batch k holds times k*BATCH*WRITERS + i*WRITERS + w: every batch overlaps every
    // other writer's batches in time, so each insert merges into chunks the others just wrote.
    const acked: number[] = [];
    const failures: string[] = [];
    const writer = async (w: number) => {
      for (let k = 0; k < BATCHES; k++) {
        const points = Array.from({ length: BATCH }, (_, i) => {
          const t = k * BATCH * WRITERS + i * WRITERS + w;
          return { t, d: t * 2 };
        });
        // Alternate processes, and start half the writers on each.
        const through = (w + k) % 2 === 0 ? a : b;
        const res = await post(`${through}/api/objects/${id}/timeseries`, points);
        if (res.status === 200) acked.push(...points.map((p) => p.t));
        else failures.push(`${res.status} ${res.text}`);
      }
    };
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    expect(failures).toEqual([]);
    expect(acked).toHaveLength(WRITERS * BATCHES * BATCH);

    for (const url of urls) {
      const length = await fetch(`${url}/api/objects/${id}/timeseries/length`, { headers });
      expect(await length.text()).toBe(String(acked.length));
    }
    const read = await fetch(`${b}/api/objects/${id}/timeseries`, { headers });
    const points = (await read.json()) as { t: number; d: number }[];
    const seen = new Map<number, number>();
    for (const p of points) {
      expect(p.d).toBe(p.t * 2);
      seen.set(p.t, (seen.get(p.t) ?? 0) + 1);
    }
    const duplicated = [...seen].filter(([, n]) => n > 1).map(([t]) => t);
    const missing = acked.filter((t) => !seen.has(t));
    expect({ duplicated, missing, stored: points.length }).toEqual({
      duplicated: [],
      missing: [],
      stored: acked.length,
    });
    // In time order, as a single writer would have left them.
    expect(points.every((p, i) => i === 0 || points[i - 1]!.t < p.t)).toBe(true);
  }, 120_000);

  it("a key claimed through both processes at once goes to exactly one object", async () => {
    const attempts = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        post(`${urls[i % 2]}/api/objects`, { name: `racer ${i}`, type: "timeseries", key: "the-key" }),
      ),
    );
    const won = attempts.filter((r) => r.status === 200);
    const lost = attempts.filter((r) => r.status !== 200);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(9);
    // Whichever process lost, it answers with the same heedy error.
    const errors = new Set(
      lost.map((r) => {
        const e = JSON.parse(r.text) as { error: string; error_description: string };
        return `${r.status} ${e.error}: ${e.error_description}`;
      }),
    );
    expect(errors.size).toBe(1);
    const listed = await fetch(`${urls[1]}/api/objects?key=the-key`, { headers });
    expect(((await listed.json()) as unknown[]).length).toBe(1);
  }, 60_000);

  it("a socket on one process hears a write made through the other", async () => {
    const [a, b] = urls as [string, string];
    const created = await post(`${b}/api/objects`, { name: "watched", type: "timeseries", tags: "live" });
    expect(created.status, created.text).toBe(200);
    const id = (JSON.parse(created.text) as { id: string }).id;
    const socket = await TestSocket.open(a, { authorization: headers.authorization });
    try {
      socket.send({ cmd: "subscribe", event: "*", object: id });
      await socket.sync();
      expect((await post(`${b}/api/objects/${id}/timeseries`, [{ t: 5, d: 1 }])).status).toBe(200);
      const renamed = await fetch(`${b}/api/objects/${id}`, {
        method: "PATCH",
        headers,
        body: JSON.stringify({ name: "watched 2" }),
      });
      expect(renamed.status).toBe(200);
      await socket.until(() => socket.events().length >= 2, 5000);
      const base = { user: "test", object: id, type: "timeseries", tags: "live" };
      // Exactly these two, once each: the process that wrote does not send them twice.
      await socket.sync();
      expect(socket.events().map(({ app: _app, ...e }) => e)).toEqual([
        { event: "timeseries_data_write", ...base, data: { t1: 5, t2: 5, count: 1 } },
        { event: "object_update", ...base },
      ]);
    } finally {
      socket.close();
    }
  }, 30_000);

  it("an app whose token is reset through one process loses its socket on the other", async () => {
    const [a, b] = urls as [string, string];
    // Apps cannot make apps; the plugin key acting as the user can.
    const asUser = {
      "x-heedy-key": readPluginKey(dir),
      "x-heedy-as": "test",
      "content-type": "application/json",
    };
    const made = await fetch(`${a}/api/apps?token=true`, {
      method: "POST",
      headers: asUser,
      body: JSON.stringify({ name: "cross", scope: "*" }),
    });
    const app = (await made.json()) as { id: string; access_token: string };
    expect(made.status, JSON.stringify(app)).toBe(200);
    const socket = await TestSocket.open(a, { authorization: `Bearer ${app.access_token}` });
    socket.send({ cmd: "subscribe", event: "*", app: app.id });
    await socket.sync();
    const reset = await fetch(`${b}/api/apps/${app.id}`, {
      method: "PATCH",
      headers: asUser,
      body: JSON.stringify({ access_token: "new" }),
    });
    expect(reset.status).toBe(200);
    await socket.until(() => socket.closed !== undefined, 5000);
    expect(socket.closed?.code).toBe(1008);
  }, 30_000);
});
