/**
 * The record stores' contract, on both databases: users, apps, objects, KV, user settings and
 * sessions as the services use them, the constraint each store names when a write breaks one
 * (rendered in heedy's wording elsewhere, so both stores must name the same one), and
 * Store.transaction undoing every step when one fails.
 */
import { describe, expect, it } from "vitest";
import { hashToken } from "../secrets.js";
import { TEST_STORE } from "../testing.js";
import {
  type AppRecord,
  ConstraintError,
  type ConstraintName,
  type ObjectRecord,
  type SessionRecord,
  type Store,
  type UserRecord,
} from "./index.js";
import { objectRecord as object, P, readAll, suiteStoreHarness } from "./test-store-harness.js";

const h = suiteStoreHarness();

const user = (username: string, over: Partial<UserRecord> = {}): UserRecord => ({
  username,
  name: "",
  description: "",
  icon: "",
  public_read: false,
  users_read: false,
  password_hash: "scrypt$x",
  ...over,
});

const app = (id: string, owner: string, over: Partial<AppRecord> = {}): AppRecord => ({
  id,
  name: id,
  description: "",
  icon: "",
  owner,
  enabled: true,
  created_date: "2024-01-01",
  last_access_date: null,
  scope: "*",
  settings: {},
  settings_schema: {},
  plugin: null,
  token_hash: null,
  ...over,
});

const session = (sessionid: string, username: string, over: Partial<SessionRecord> = {}): SessionRecord => ({
  sessionid,
  username,
  description: "",
  created_date: "2024-01-01",
  last_access_date: "2024-01-01",
  created_at: Date.UTC(2024, 0, 1),
  used_at: Date.UTC(2024, 0, 1),
  ...over,
});

/** The constraint a write broke, or "none" when it went through. */
async function constraintOf(f: () => Promise<unknown>): Promise<ConstraintName | "none"> {
  try {
    await f();
  } catch (e) {
    if (e instanceof ConstraintError) return e.constraint;
    throw e;
  }
  return "none";
}

let counter = 0;
/** A fresh name, so the tests share one database without meeting each other's rows. */
const fresh = (prefix: string) => `${prefix}${++counter}`;

describe(`users (${TEST_STORE})`, () => {
  it("keep what was written, list in byte order, and refuse a taken name", async () => {
    const [a, b] = [fresh("zz-users-"), fresh("ZZ-users-")];
    await h.store.users.create(user(a, { name: "Ada", public_read: true, description: "d", icon: "i" }));
    await h.store.users.create(user(b, { users_read: true }));
    expect(await h.store.users.get(a)).toEqual(
      user(a, { name: "Ada", public_read: true, description: "d", icon: "i" }),
    );
    expect(await h.store.users.get(b)).toEqual(user(b, { users_read: true }));
    expect(await h.store.users.get("nobody")).toBeUndefined();
    const names = (await h.store.users.list()).map((u) => u.username);
    expect(names.indexOf(b)).toBeLessThan(names.indexOf(a));
    expect(names).toEqual([...names].sort((x, y) => (Buffer.from(x) < Buffer.from(y) ? -1 : 1)));
    expect(await constraintOf(() => h.store.users.create(user(a)))).toBe("users.username");
  });

  it("update only the patched fields; a rename carries apps, objects, sessions, KV and settings", async () => {
    const [u, renamed] = [fresh("ren-"), fresh("ren-")];
    await h.store.users.create(user(u, { name: "Before" }));
    await h.store.users.update(u, { name: "After", public_read: true, icon: undefined });
    expect(await h.store.users.get(u)).toEqual(user(u, { name: "After", public_read: true }));
    await h.store.apps.create(app(`${u}-app`, u));
    await h.store.objects.create(object(`${u}-obj`, u));
    await h.store.sessions.create(session(`${u}-s`, u), `${u}-hash`);
    await h.store.kv.set("users", u, "ns", "k", 1);
    await h.store.settings.patch(u, "plugin", { a: 1 });
    const other = fresh("ren-");
    await h.store.users.create(user(other));
    expect(await constraintOf(() => h.store.users.update(u, { username: other }))).toBe("users.username");

    await h.store.users.update(u, { username: renamed });
    expect(await h.store.users.get(u)).toBeUndefined();
    expect((await h.store.users.get(renamed))?.name).toBe("After");
    expect((await h.store.apps.get(`${u}-app`))?.owner).toBe(renamed);
    expect((await h.store.objects.get(`${u}-obj`))?.owner).toBe(renamed);
    expect((await h.store.sessions.list(renamed)).map((s) => s.sessionid)).toEqual([`${u}-s`]);
    expect(await h.store.kv.all("users", renamed, "ns")).toEqual({ k: 1 });
    expect(await h.store.settings.get(renamed, "plugin")).toEqual({ a: 1 });
  });

  it("delete once, taking everything the user owns", async () => {
    const u = fresh("del-");
    await h.store.users.create(user(u));
    await h.store.apps.create(app(`${u}-app`, u));
    await h.store.objects.create(object(`${u}-obj`, u));
    await h.store.sessions.create(session(`${u}-s`, u), `${u}-hash`);
    await h.store.kv.set("users", u, "ns", "k", 1);
    await h.store.settings.patch(u, "plugin", { a: 1 });
    expect(await h.store.users.delete(u)).toBe(true);
    expect(await h.store.users.delete(u)).toBe(false);
    expect(await h.store.apps.get(`${u}-app`)).toBeUndefined();
    expect(await h.store.objects.get(`${u}-obj`)).toBeUndefined();
    expect(await h.store.sessions.byTokenHash(`${u}-hash`)).toBeUndefined();
    expect(await h.store.kv.all("users", u, "ns")).toEqual({});
    expect(await h.store.settings.get(u, "plugin")).toEqual({});
  });
});

describe(`apps (${TEST_STORE})`, () => {
  it("are found by the hash of their token, never by the token", async () => {
    const u = fresh("apps-");
    await h.store.users.create(user(u));
    const token = `token-${u}`;
    const settings = { zeta: 1, alpha: { b: [1, "x"], a: null } };
    await h.store.apps.create(
      app(`${u}-a`, u, {
        token_hash: hashToken(token),
        settings,
        settings_schema: { type: "object" },
        plugin: "notes",
        last_access_date: "2024-02-03",
      }),
    );
    const got = await h.store.apps.byTokenHash(hashToken(token));
    expect(got?.id).toBe(`${u}-a`);
    expect(got?.token_hash).toBe(hashToken(token));
    expect(got?.token_hash).not.toContain(token);
    expect(await h.store.apps.byTokenHash(token)).toBeUndefined();
    // JSON comes back as written, key order included.
    expect(JSON.stringify(got?.settings)).toBe(JSON.stringify(settings));
    expect(got).toMatchObject({ plugin: "notes", last_access_date: "2024-02-03", enabled: true });
    expect(await h.store.apps.get(`${u}-a`)).toEqual(got);
  });

  it("refuse a token hash in use and an owner that does not exist", async () => {
    const u = fresh("apps-");
    await h.store.users.create(user(u));
    await h.store.apps.create(app(`${u}-a`, u, { token_hash: `${u}-h` }));
    expect(await constraintOf(() => h.store.apps.create(app(`${u}-b`, u, { token_hash: `${u}-h` })))).toBe(
      "apps.token_hash",
    );
    await h.store.apps.create(app(`${u}-c`, u, { token_hash: `${u}-other` }));
    expect(await constraintOf(() => h.store.apps.update(`${u}-c`, { token_hash: `${u}-h` }))).toBe(
      "apps.token_hash",
    );
    expect(await constraintOf(() => h.store.apps.create(app(`${u}-d`, "no-such-user")))).toBe("foreign_key");
    // Apps without a token do not meet each other.
    await h.store.apps.create(app(`${u}-e`, u));
    await h.store.apps.create(app(`${u}-f`, u));
  });

  it("list by owner, plugin (or none) and enabled, in id order; update and delete", async () => {
    const u = fresh("apps-");
    await h.store.users.create(user(u));
    await h.store.apps.create(app(`${u}-b`, u, { plugin: "p" }));
    await h.store.apps.create(app(`${u}-a`, u, { enabled: false }));
    await h.store.apps.create(app(`${u}-C`, u));
    const ids = async (f: Parameters<Store["apps"]["list"]>[0]) =>
      (await h.store.apps.list(f)).map((a) => a.id);
    expect(await ids({ owner: u })).toEqual([`${u}-C`, `${u}-a`, `${u}-b`]);
    expect(await ids({ owner: u, plugin: null })).toEqual([`${u}-C`, `${u}-a`]);
    expect(await ids({ owner: u, plugin: "p" })).toEqual([`${u}-b`]);
    expect(await ids({ owner: u, enabled: false })).toEqual([`${u}-a`]);
    expect(await ids({ owner: u, enabled: true, plugin: null })).toEqual([`${u}-C`]);

    await h.store.apps.update(`${u}-a`, { enabled: true, settings: { x: 2 }, token_hash: `${u}-t` });
    expect(await h.store.apps.get(`${u}-a`)).toMatchObject({ enabled: true, settings: { x: 2 } });
    await h.store.apps.update(`${u}-a`, { token_hash: null });
    expect((await h.store.apps.get(`${u}-a`))?.token_hash).toBeNull();

    await h.store.objects.create(object(`${u}-obj`, u, { app: `${u}-a`, key: "k" }));
    await h.store.kv.set("apps", `${u}-a`, "ns", "k", true);
    expect(await h.store.apps.delete(`${u}-a`)).toBe(true);
    expect(await h.store.apps.delete(`${u}-a`)).toBe(false);
    expect(await h.store.objects.get(`${u}-obj`)).toBeUndefined();
    expect(await h.store.kv.all("apps", `${u}-a`, "ns")).toEqual({});
  });
});

describe(`objects (${TEST_STORE})`, () => {
  it("keep meta as written; key is unique per app, only for app objects", async () => {
    const u = fresh("obj-");
    await h.store.users.create(user(u));
    await h.store.apps.create(app(`${u}-a1`, u));
    await h.store.apps.create(app(`${u}-a2`, u));
    const meta = { schema: { type: "number" }, actor: false, a: 1 };
    await h.store.objects.create(object(`${u}-1`, u, { app: `${u}-a1`, key: "steps", meta }));
    const got = await h.store.objects.get(`${u}-1`);
    expect(JSON.stringify(got?.meta)).toBe(JSON.stringify(meta));
    expect(got).toEqual({
      ...object(`${u}-1`, u, { app: `${u}-a1`, key: "steps", meta }),
      modified_at: null,
    });

    expect(
      await constraintOf(() => h.store.objects.create(object(`${u}-2`, u, { app: `${u}-a1`, key: "steps" }))),
    ).toBe("objects.key+app");
    expect(
      await constraintOf(() => h.store.objects.create(object(`${u}-3`, u, { app: `${u}-a2`, key: "steps" }))),
    ).toBe("none");
    expect(await constraintOf(() => h.store.objects.create(object(`${u}-4`, u, { key: "steps" })))).toBe(
      "objects.apps_only_key",
    );
    expect(await constraintOf(() => h.store.objects.update(`${u}-3`, { app: `${u}-a1` }))).toBe(
      "objects.key+app",
    );
    expect(await constraintOf(() => h.store.objects.update(`${u}-1`, { app: null }))).toBe(
      "objects.apps_only_key",
    );
    expect(await constraintOf(() => h.store.objects.create(object(`${u}-5`, "no-such-user")))).toBe(
      "foreign_key",
    );
    expect(
      await constraintOf(() => h.store.objects.create(object(`${u}-6`, u, { app: "no-such-app" }))),
    ).toBe("foreign_key");
    // Objects without a key never meet, in an app or outside one.
    await h.store.objects.create(object(`${u}-7`, u, { app: `${u}-a1` }));
    await h.store.objects.create(object(`${u}-8`, u, { app: `${u}-a1` }));
    await h.store.objects.create(object(`${u}-9`, u));
    expect(await h.store.objects.get(`${u}-2`)).toBeUndefined();
    expect(await h.store.objects.get(`${u}-4`)).toBeUndefined();
  });

  it("list by owner, app, key, type and whole tags, in id order", async () => {
    const u = fresh("list-");
    await h.store.users.create(user(u));
    await h.store.apps.create(app(`${u}-a`, u));
    await h.store.objects.create(object(`${u}-b`, u, { tags: "Walk run", type: "timeseries" }));
    await h.store.objects.create(object(`${u}-a`, u, { tags: "walking 100%", app: `${u}-a`, key: "k" }));
    await h.store.objects.create(object(`${u}-A`, u, { tags: "x_y", type: "notes" }));
    const ids = async (f: Parameters<Store["objects"]["list"]>[0]) =>
      (await h.store.objects.list({ owner: u, ...f })).map((o) => o.id);
    expect(await ids({})).toEqual([`${u}-A`, `${u}-a`, `${u}-b`]);
    expect(await ids({ app: null })).toEqual([`${u}-A`, `${u}-b`]);
    expect(await ids({ app: `${u}-a`, key: "k" })).toEqual([`${u}-a`]);
    expect(await ids({ key: null })).toEqual([`${u}-A`, `${u}-b`]);
    expect(await ids({ type: "notes" })).toEqual([`${u}-A`]);
    // A tag matches a whole word, ASCII letters in any case; LIKE's wildcards are plain text.
    expect(await ids({ tags: ["walk"] })).toEqual([`${u}-b`]);
    expect(await ids({ tags: ["WALK", "run"] })).toEqual([`${u}-b`]);
    expect(await ids({ tags: ["100%"] })).toEqual([`${u}-a`]);
    expect(await ids({ tags: ["100_"] })).toEqual([]);
    expect(await ids({ tags: ["x_y"] })).toEqual([`${u}-A`]);
    expect(await ids({ tags: ["x%"] })).toEqual([]);
    expect(await ids({ tags: ["walk", "walking"] })).toEqual([]);
  });

  it("touch sets the day and the instant of the last write; delete takes data and KV", async () => {
    const u = fresh("touch-");
    await h.store.users.create(user(u));
    await h.store.objects.create(object(`${u}-o`, u));
    const at = new Date("2026-03-04T23:59:59.250Z");
    await h.store.objects.touch(`${u}-o`, at);
    expect(await h.store.objects.get(`${u}-o`)).toMatchObject({
      last_modified: "2026-03-04",
      modified_at: at.getTime() / 1000,
      created_date: "2024-01-01",
    });
    await h.store.objects.update(`${u}-o`, { name: "renamed", meta: { b: 1 }, tags: "t" });
    expect(await h.store.objects.get(`${u}-o`)).toMatchObject({ name: "renamed", meta: { b: 1 }, tags: "t" });
    // Patch keys become column names in the statement: only the table's own are taken.
    const bad = { 'name" = 1, "tags': "x" } as Partial<ObjectRecord>;
    await expect(h.store.objects.update(`${u}-o`, bad)).rejects.toThrow(/no column/);
    await h.store.kv.set("objects", `${u}-o`, "ns", "k", "v");
    await h.store.timeseries.insert(`${u}-o`, [P(1), P(2)], "append");
    expect(await h.store.objects.delete(`${u}-o`)).toBe(true);
    expect(await h.store.objects.delete(`${u}-o`)).toBe(false);
    expect(await h.store.kv.all("objects", `${u}-o`, "ns")).toEqual({});
    expect(await h.store.timeseries.length(`${u}-o`)).toBe(0);
    expect(await h.chunkRows(`${u}-o`)).toEqual([]);
  });

  it("find nothing by an id holding a NUL character", async () => {
    expect(await h.store.objects.get("a\0b")).toBeUndefined();
    expect(await h.store.users.get("a\0b")).toBeUndefined();
    expect(await h.store.apps.byTokenHash("a\0b")).toBeUndefined();
    expect(await h.store.objects.delete("a\0b")).toBe(false);
  });
});

describe(`KV (${TEST_STORE})`, () => {
  it("sets, merges, replaces and deletes per scope, owner and namespace", async () => {
    const u = fresh("kv-");
    await h.store.users.create(user(u));
    await h.store.apps.create(app(`${u}-a`, u));
    await h.store.objects.create(object(`${u}-o`, u));
    for (const [scope, owner] of [
      ["users", u],
      ["apps", `${u}-a`],
      ["objects", `${u}-o`],
    ] as const) {
      expect(await h.store.kv.all(scope, owner, "ns")).toEqual({});
      expect(await h.store.kv.get(scope, owner, "ns", "missing")).toBeNull();
      await h.store.kv.set(scope, owner, "ns", "b", { deep: [1, { x: "y" }] });
      await h.store.kv.set(scope, owner, "ns", "none", undefined);
      await h.store.kv.merge(scope, owner, "ns", { a: 1, B: "two", b: false });
      await h.store.kv.set(scope, owner, "other", "a", "elsewhere");
      expect(await h.store.kv.get(scope, owner, "ns", "b")).toBe(false);
      expect(await h.store.kv.get(scope, owner, "ns", "none")).toBeNull();
      const all = await h.store.kv.all(scope, owner, "ns");
      expect(all).toEqual({ B: "two", a: 1, b: false, none: null });
      expect(Object.keys(all)).toEqual(["B", "a", "b", "none"]);

      await h.store.kv.replace(scope, owner, "ns", { z: [1], a: 2 });
      expect(await h.store.kv.all(scope, owner, "ns")).toEqual({ a: 2, z: [1] });
      expect(await h.store.kv.all(scope, owner, "other")).toEqual({ a: "elsewhere" });
      await h.store.kv.merge(scope, owner, "ns", {});
      expect(await h.store.kv.delete(scope, owner, "ns", "z")).toBe(true);
      expect(await h.store.kv.delete(scope, owner, "ns", "z")).toBe(false);
      await h.store.kv.replace(scope, owner, "ns", {});
      expect(await h.store.kv.all(scope, owner, "ns")).toEqual({});
    }
    // Many pairs at once, as a PUT of a whole namespace sends them.
    const many = Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`k${i}`, i]));
    await h.store.kv.replace("users", u, "big", many);
    expect(await h.store.kv.all("users", u, "big")).toEqual(many);
  });

  it("refuses an owner that does not exist", async () => {
    expect(await constraintOf(() => h.store.kv.set("objects", "no-such-object", "ns", "k", 1))).toBe(
      "foreign_key",
    );
  });
});

describe(`user settings (${TEST_STORE})`, () => {
  it("patch sets keys, null deletes them, per user and plugin", async () => {
    const u = fresh("set-");
    await h.store.users.create(user(u));
    expect(await h.store.settings.get(u, "p")).toEqual({});
    await h.store.settings.patch(u, "p", { theme: "dark", size: 3, nested: { a: [1] } });
    await h.store.settings.patch(u, "q", { theme: "light" });
    await h.store.settings.patch(u, "p", { size: null, theme: "dim", absent: null });
    const got = await h.store.settings.get(u, "p");
    expect(got).toEqual({ nested: { a: [1] }, theme: "dim" });
    expect(Object.keys(got)).toEqual(["nested", "theme"]);
    expect(await h.store.settings.get(u, "q")).toEqual({ theme: "light" });
    await h.store.settings.patch(u, "p", {});
    expect(await h.store.settings.get(u, "p")).toEqual({ nested: { a: [1] }, theme: "dim" });
  });
});

describe(`sessions (${TEST_STORE})`, () => {
  it("are found by token hash, listed by login, touched, and ended", async () => {
    const u = fresh("ses-");
    await h.store.users.create(user(u));
    // Before every other test's sessions: the expiry sweep covers all users.
    const t0 = Date.UTC(2000, 5, 1, 12);
    await h.store.sessions.create(
      session(`${u}-b`, u, { created_at: t0 + 1000, used_at: t0 + 1000 }),
      `${u}-hb`,
    );
    await h.store.sessions.create(
      session(`${u}-a`, u, { created_at: t0, used_at: t0, description: "laptop" }),
      `${u}-ha`,
    );
    await h.store.sessions.create(
      session(`${u}-c`, u, { created_at: t0 + 2000, used_at: t0 + 2000 }),
      `${u}-hc`,
    );
    expect(await h.store.sessions.byTokenHash(`${u}-ha`)).toEqual(
      session(`${u}-a`, u, { created_at: t0, used_at: t0, description: "laptop" }),
    );
    expect(await h.store.sessions.byTokenHash(`${u}-a`)).toBeUndefined();
    expect((await h.store.sessions.list(u)).map((s) => s.sessionid)).toEqual([`${u}-a`, `${u}-b`, `${u}-c`]);
    expect(await constraintOf(() => h.store.sessions.create(session(`${u}-d`, u), `${u}-ha`))).toBe(
      "sessions.token_hash",
    );
    expect(
      await constraintOf(() => h.store.sessions.create(session(`${u}-e`, "no-such-user"), `${u}-he`)),
    ).toBe("foreign_key");

    // The day recorded is the UTC day of the instant.
    const late = Date.UTC(2025, 5, 3, 23, 59, 59, 900);
    await h.store.sessions.touch(`${u}-a`, late);
    expect(await h.store.sessions.byTokenHash(`${u}-ha`)).toMatchObject({
      used_at: late,
      last_access_date: "2025-06-03",
      created_at: t0,
      created_date: "2024-01-01",
    });

    expect(await h.store.sessions.deleteExpired(t0 + 1500, 0)).toBe(1);
    expect((await h.store.sessions.list(u)).map((s) => s.sessionid)).toEqual([`${u}-a`, `${u}-c`]);
    expect(await h.store.sessions.deleteExpired(0, t0 + 1)).toBe(1);
    expect((await h.store.sessions.list(u)).map((s) => s.sessionid)).toEqual([`${u}-c`]);

    await h.store.sessions.create(session(`${u}-f`, u), `${u}-hf`);
    await h.store.sessions.create(session(`${u}-g`, u), `${u}-hg`);
    expect(await h.store.sessions.deleteForUser(u, `${u}-f`)).toBe(2);
    expect((await h.store.sessions.list(u)).map((s) => s.sessionid)).toEqual([`${u}-f`]);
    expect(await h.store.sessions.delete(`${u}-f`)).toBe(true);
    expect(await h.store.sessions.delete(`${u}-f`)).toBe(false);
    await h.store.sessions.create(session(`${u}-h`, u), `${u}-hh`);
    expect(await h.store.sessions.deleteForUser(u)).toBe(1);
    expect(await h.store.sessions.list(u)).toEqual([]);
  });
});

describe(`Store.transaction (${TEST_STORE})`, () => {
  it("commits every step together", async () => {
    const u = fresh("tx-");
    const out = await h.store.transaction(async (tx) => {
      await tx.users.create(user(u));
      await tx.objects.create(object(`${u}-o`, u));
      await tx.timeseries.insert(`${u}-o`, [P(1), P(2)], "append");
      return "done";
    });
    expect(out).toBe("done");
    expect(await h.store.users.get(u)).toBeDefined();
    expect(await h.store.timeseries.length(`${u}-o`)).toBe(2);
  });

  it("leaves nothing behind when a step fails, and the store goes on working", async () => {
    const u = fresh("tx-");
    await h.store.users.create(user(u));
    await h.store.apps.create(app(`${u}-a`, u));
    await h.store.objects.create(object(`${u}-keep`, u, { app: `${u}-a`, key: "taken" }));
    const other = fresh("tx-");
    const failed = await constraintOf(() =>
      h.store.transaction(async (tx) => {
        await tx.users.create(user(other));
        await tx.users.update(u, { name: "changed" });
        await tx.apps.create(app(`${other}-a`, other, { token_hash: `${other}-h` }));
        await tx.objects.create(object(`${other}-o`, other));
        await tx.timeseries.insert(`${other}-o`, [P(1), P(2), P(3)], "append");
        await tx.objects.touch(`${u}-keep`, new Date());
        await tx.kv.replace("users", u, "ns", { a: 1 });
        await tx.settings.patch(u, "p", { x: 1 });
        await tx.sessions.create(session(`${other}-s`, other), `${other}-sh`);
        // A transaction inside joins this one, and goes with it.
        await tx.transaction((inner) => inner.kv.set("objects", `${u}-keep`, "ns", "k", 1));
        await tx.objects.create(object(`${other}-dup`, u, { app: `${u}-a`, key: "taken" }));
      }),
    );
    expect(failed).toBe("objects.key+app");
    expect(await h.store.users.get(other)).toBeUndefined();
    expect((await h.store.users.get(u))?.name).toBe("");
    expect(await h.store.apps.byTokenHash(`${other}-h`)).toBeUndefined();
    expect(await h.store.objects.get(`${other}-o`)).toBeUndefined();
    expect(await h.store.timeseries.length(`${other}-o`)).toBe(0);
    expect(await h.chunkRows(`${other}-o`)).toEqual([]);
    expect((await h.store.objects.get(`${u}-keep`))?.last_modified).toBeNull();
    expect(await h.store.kv.all("users", u, "ns")).toEqual({});
    expect(await h.store.kv.all("objects", `${u}-keep`, "ns")).toEqual({});
    expect(await h.store.settings.get(u, "p")).toEqual({});
    expect(await h.store.sessions.byTokenHash(`${other}-sh`)).toBeUndefined();

    // Not a constraint: any throw rolls back, and comes out as it went in.
    const err = new Error("stop");
    await expect(
      h.store.transaction(async (tx) => {
        await tx.timeseries.insert(`${u}-keep`, [P(5)], "append");
        throw err;
      }),
    ).rejects.toBe(err);
    expect(await h.store.timeseries.length(`${u}-keep`)).toBe(0);

    await h.store.objects.create(object(`${other}-after`, u));
    await h.store.timeseries.insert(`${other}-after`, [P(1)], "append");
    expect(await readAll(h.engine(8), `${other}-after`)).toEqual([P(1)]);
  });
});
