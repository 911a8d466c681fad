/** Session lifetime (issue 10): password changes, idle time, max age, and throttled last-use writes. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDataDir } from "../data-dir.js";
import { TOUCH_INTERVAL_MS } from "../http/session.js";
import { type Clients, clientsFor, createUser, expectError, expectOk, login } from "../test-http.js";
import { startTestServer, type TestServer } from "../testing.js";

let server: TestServer;
let c: Clients;

beforeAll(async () => {
  server = await startTestServer();
  c = await clientsFor(server);
});
afterAll(() => server.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const USER_NOT_FOUND = "User was not found";

describe("password change", () => {
  it("ends the user's other sessions and keeps the one that made the change", async () => {
    await createUser(c, "pat", "old");
    const here = await login(c, "pat", "old", "this-browser");
    const there = await login(c, "pat", "old", "other-browser");
    expectOk(await here.patch("/api/users/pat", { password: "new" }));
    expect((await here.get("/api/users/pat")).status).toBe(200);
    expectError(await there.get("/api/users/pat"), 400, "not_found", USER_NOT_FOUND);
    const left = (await here.get("/api/users/pat/sessions")).body as { description: string }[];
    expect(left.map((s) => s.description)).toEqual(["this-browser"]);
  });

  it("made by someone else (here the plugin key) ends every session of the user", async () => {
    await createUser(c, "quinn", "old");
    const browser = await login(c, "quinn", "old");
    expectOk(await c.plugin.patch("/api/users/quinn", { password: "reset" }));
    expectError(await browser.get("/api/users/quinn"), 400, "not_found", USER_NOT_FOUND);
    // Other changes leave sessions alone.
    const again = await login(c, "quinn", "reset");
    expectOk(await c.plugin.patch("/api/users/quinn", { description: "hello" }));
    expect((await again.get("/api/users/quinn")).status).toBe(200);
  });
});

describe("expiry", () => {
  it("a session unused for the idle time is over, and its cookie is cleared", async () => {
    await createUser(c, "idle", "pw");
    const browser = await login(c, "idle", "pw");
    const policy = server.ctx.sessionPolicy;
    const saved = { ...policy };
    policy.idleMs = 300;
    try {
      expect((await browser.get("/api/users/idle")).status).toBe(200);
      await sleep(450);
      const res = await browser.get("/api/users/idle");
      expectError(res, 400, "not_found", USER_NOT_FOUND);
      expect(res.headers.get("set-cookie")).toMatch(/^token=; Path=\/; Max-Age=0/);
    } finally {
      Object.assign(policy, saved);
    }
    // Gone for good, not merely hidden while the setting was short.
    expectError(await browser.get("/api/users/idle"), 400, "not_found", USER_NOT_FOUND);
  });

  it("a session older than the max age is over however often it is used", async () => {
    await createUser(c, "aged", "pw");
    const browser = await login(c, "aged", "pw");
    const policy = server.ctx.sessionPolicy;
    const saved = { ...policy };
    policy.maxAgeMs = 400;
    try {
      for (let i = 0; i < 3; i++) {
        expect((await browser.get("/api/users/aged")).status).toBe(200);
        await sleep(100);
      }
      await sleep(250);
      expectError(await browser.get("/api/users/aged"), 400, "not_found", USER_NOT_FOUND);
    } finally {
      Object.assign(policy, saved);
    }
  });

  it("expired sessions are not listed", async () => {
    await createUser(c, "lister", "pw");
    await login(c, "lister", "pw", "stale");
    const fresh = await login(c, "lister", "pw", "fresh");
    const [old] = await server.ctx.store.sessions.list("lister");
    expect(old?.description).toBe("stale");
    // Pretend the stale one was last used 15 days ago (the default idle time is 14 days).
    await server.ctx.store.sessions.touch(old!.sessionid, Date.now() - 15 * 24 * 3600 * 1000);
    const list = (await fresh.get("/api/users/lister/sessions")).body as { description: string }[];
    expect(list.map((s) => s.description)).toEqual(["fresh"]);
  });

  it("heedy.json sets the idle time and max age; the cookie's Max-Age follows", async () => {
    const dir = server.dataDir;
    // Kept: the folder's other settings (its database, when the suite runs on PostgreSQL).
    const base = JSON.parse(readFileSync(join(dir, "heedy.json"), "utf8")) as Record<string, unknown>;
    const config = { ...base, admin_users: ["test"], session_idle_hours: 2, session_max_age_hours: 48 };
    writeFileSync(join(dir, "heedy.json"), JSON.stringify(config));
    const ctx = await openDataDir(dir, "test");
    try {
      expect(ctx.sessionPolicy).toEqual({ idleMs: 2 * 3600 * 1000, maxAgeMs: 48 * 3600 * 1000 });
    } finally {
      await ctx.store.close();
    }
    for (const bad of [0, -1, "12"]) {
      writeFileSync(join(dir, "heedy.json"), JSON.stringify({ ...config, session_idle_hours: bad }));
      await expect(openDataDir(dir, "test")).rejects.toThrow(/session_idle_hours must be a positive number/);
    }
    writeFileSync(join(dir, "heedy.json"), JSON.stringify({ ...base, admin_users: ["test"] }));
    const ctxDefault = await openDataDir(dir, "test");
    try {
      expect(ctxDefault.sessionPolicy).toEqual({
        idleMs: 14 * 24 * 3600 * 1000,
        maxAgeMs: 90 * 24 * 3600 * 1000,
      });
    } finally {
      await ctxDefault.store.close();
    }
  });
});

describe("last use", () => {
  it("is written at most once a minute, not on every request", async () => {
    await createUser(c, "busy", "pw");
    const browser = await login(c, "busy", "pw");
    const first = (await server.ctx.store.sessions.list("busy"))[0]!;
    for (let i = 0; i < 5; i++) await browser.get("/api/users/busy");
    const after = (await server.ctx.store.sessions.list("busy"))[0]!;
    expect(after.used_at).toBe(first.used_at);
    // Once the recorded use is older than the interval, the next request records a new one.
    const earlier = Date.now() - TOUCH_INTERVAL_MS - 1000;
    await server.ctx.store.sessions.touch(first.sessionid, earlier);
    await browser.get("/api/users/busy");
    const touched = (await server.ctx.store.sessions.list("busy"))[0]!;
    expect(touched.used_at).toBeGreaterThan(earlier + TOUCH_INTERVAL_MS);
    expect(touched.last_access_date).toBe(new Date().toISOString().slice(0, 10));
  });
});
