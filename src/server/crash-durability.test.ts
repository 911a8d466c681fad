/**
 * Crash durability: a child server ingesting batches is killed with SIGKILL at random moments, six
 * times. Afterwards every acknowledged batch is present in full, no batch is partial, and SQLite's
 * integrity check passes. This is the guarantee a 200 on an insert makes (one transaction per
 * request, WAL with synchronous=NORMAL or stronger).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, waitForServer } from "./test-net.js";

const temp = mkdtempSync(join(tmpdir(), "heedy-explorer-crash-"));
const dir = join(temp, "data");
const TOKEN = "crash-test-token";
const BATCH = 500;
const ROUNDS = 6;
const children = new Set<ChildProcess>();

afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
  rmSync(temp, { recursive: true, force: true });
});

function cli(args: string[]): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "src/server/main.ts", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  child.on("exit", () => children.delete(child));
  return child;
}

function finished(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });
}

/** Starts the server and resolves once it answers. */
async function start(): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = cli(["start", dir, "--port", String(port)]);
  const url = `http://127.0.0.1:${port}`;
  await waitForServer(`${url}/api/server/version`, { child });
  return { child, url };
}

const auth = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };

function batch(b: number): string {
  const points = [];
  for (let i = 0; i < BATCH; i++) points.push({ t: b * BATCH + i, d: b });
  return JSON.stringify(points);
}

describe("crash durability", () => {
  it("keeps every acknowledged batch whole across SIGKILLs at random moments", async () => {
    expect(
      await finished(cli(["create", dir, "--username", "test", "--password", "test", "--testapp", TOKEN])),
    ).toBe(0);
    let server = await start();
    const created = await fetch(`${server.url}/api/objects`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ name: "crash", type: "timeseries" }),
    });
    expect(created.status).toBe(200);
    const id = ((await created.json()) as { id: string }).id;

    const acked = new Set<number>();
    let next = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const { child, url } = server;
      let killed = false;
      // Kill somewhere between 150 and 900 ms into the round, mid-request more often than not.
      const killAt = 150 + Math.floor(Math.random() * 750);
      const timer = setTimeout(() => {
        killed = true;
        child.kill("SIGKILL");
      }, killAt);
      // Two writers keep a request in flight at (almost) every moment.
      const writer = async () => {
        while (!killed) {
          const b = next++;
          try {
            const res = await fetch(`${url}/api/objects/${id}/timeseries`, {
              method: "POST",
              headers: auth,
              body: batch(b),
            });
            if (res.status === 200) acked.add(b);
            else expect.fail(`batch ${b}: ${res.status} ${await res.text()}`);
          } catch {
            // The connection died with the server: this batch was not acknowledged.
          }
        }
      };
      await Promise.all([writer(), writer()]);
      clearTimeout(timer);
      await finished(child);
      server = await start();
    }

    const res = await fetch(`${server.url}/api/objects/${id}/timeseries`, { headers: auth });
    expect(res.status).toBe(200);
    const points = (await res.json()) as { t: number; d: number }[];
    const perBatch = new Map<number, number>();
    for (const p of points) perBatch.set(p.d, (perBatch.get(p.d) ?? 0) + 1);
    const missing = [...acked].filter((b) => perBatch.get(b) !== BATCH);
    const partial = [...perBatch].filter(([, n]) => n !== BATCH);
    expect({ missing, partial }).toEqual({ missing: [], partial: [] });
    expect(acked.size).toBeGreaterThan(ROUNDS);
    server.child.kill("SIGTERM");
    await finished(server.child);

    const db = new Database(join(dir, "heedy.db"), { readonly: true });
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    } finally {
      db.close();
    }
  }, 120_000);
});
