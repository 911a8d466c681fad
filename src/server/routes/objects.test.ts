/**
 * /api/objects against the real server (contract section 6, 3.3, decisions 1 and 3).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Clients,
  clientsFor,
  createApp,
  createObject,
  expectError,
  expectOk,
  type Http,
  login,
  OK,
  today,
} from "../test-http.js";
import { startTestServer, type TestServer } from "../testing.js";

let server: TestServer;
let c: Clients;
/** User `test` through its session cookie. */
let user: Http;

beforeAll(async () => {
  server = await startTestServer();
  c = await clientsFor(server);
  user = await login(c, "test", "test");
});
afterAll(() => server.close());

const NOT_FOUND = "The selected resource was not found";
const DEFAULT_META = { actor: false, schema: {}, subtype: "" };

async function read(http: Http, id: string): Promise<Record<string, unknown>> {
  const res = await http.get(`/api/objects/${id}`);
  expect(res.status, res.text).toBe(200);
  return res.body as Record<string, unknown>;
}

describe("create", () => {
  it("answers the tutorial's field set for an app timeseries", async () => {
    const res = await c.app.post("/api/objects", {
      name: "My Timeseries",
      type: "timeseries",
      tags: "mytimeseries",
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const obj = res.body as Record<string, unknown>;
    expect(obj).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      name: "My Timeseries",
      description: "",
      owner: "test",
      app: c.appId,
      tags: "mytimeseries",
      type: "timeseries",
      meta: DEFAULT_META,
      created_date: today(),
      last_modified: null,
      owner_scope: "*",
      access: "*",
    });
    // Decision 1: no heedy 0.6 `modified_date`; `key` and `icon` are omitted when not asked for.
    expect(Object.keys(obj)).not.toContain("modified_date");
    expect(await read(c.app, obj.id as string)).toEqual(obj);
  });

  it("creates a user's own object with app null and key omitted", async () => {
    const obj = await createObject(user, { name: "mine", description: "d", tags: "a b a" });
    expect(obj).toMatchObject({
      owner: "test",
      app: null,
      description: "d",
      access: "*",
      meta: DEFAULT_META,
    });
    expect(new Set((obj.tags as string).split(" "))).toEqual(new Set(["a", "b"]));
    expect((obj.tags as string).split(" ")).toHaveLength(2);
    expect(obj).not.toHaveProperty("key");
  });

  it("refuses a missing, `object` or unknown type", async () => {
    expectError(
      await c.app.post("/api/objects", { name: "x" }),
      400,
      "bad_request",
      "must specify a type of object to create",
    );
    expectError(
      await c.app.post("/api/objects", { name: "x", type: "object" }),
      400,
      "bad_request",
      "must specify a type of object to create",
    );
    expectError(
      await c.app.post("/api/objects", { name: "x", type: "dashboardz" }),
      400,
      "bad_request",
      "unrecognized object type",
    );
  });

  it("validates names: required, trimmed, no control characters", async () => {
    expectError(await c.app.post("/api/objects", { type: "timeseries" }), 400, "bad_request", "Invalid name");
    expectError(
      await c.app.post("/api/objects", { type: "timeseries", name: "   " }),
      400,
      "bad_request",
      "Invalid name",
    );
    for (const bad of ["a\nb", "a\rb", "a\tb", "a\bb", "a\fb"]) {
      expectError(
        await c.app.post("/api/objects", { type: "timeseries", name: bad }),
        400,
        "bad_request",
        "Invalid name",
      );
    }
    const obj = await createObject(c.app, { name: "  padded  " });
    expect(obj.name).toBe("padded");
  });

  it("validates icons: a name of at most 30 characters or a data:image URL", async () => {
    expectError(
      await c.app.post("/api/objects", { type: "timeseries", name: "i", icon: "x".repeat(31) }),
      400,
      "bad_request",
      "icon name can't be more than 30 characters unless it is an image",
    );
    const long = `data:image/png;base64,${"A".repeat(200)}`;
    const made = await c.app.post("/api/objects?icon=true", { type: "timeseries", name: "i", icon: long });
    expect(made.status).toBe(200);
    expect((made.body as { icon: string }).icon).toBe(long);
    const id = (made.body as { id: string }).id;
    expect(await read(c.app, id)).not.toHaveProperty("icon");
    expect((await c.app.get(`/api/objects/${id}?icon=true`)).body).toMatchObject({ icon: long });
    const named = await createObject(c.app, { name: "i", icon: "x".repeat(30) });
    expect(named).not.toHaveProperty("icon");
  });

  it("reports unreadable bodies and wrongly typed fields as read_error (6.2 step 1)", async () => {
    const bad = await c.app.req("POST", "/api/objects", {
      raw: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: "read_error", id: expect.any(String) });
    expectError(
      await c.app.post("/api/objects", { name: 5, type: "timeseries" }),
      400,
      "read_error",
      "json: cannot unmarshal number into Go struct field Object.name of type string",
    );
  });

  it("ignores unknown fields (the Python suite sends `otype`)", async () => {
    const obj = await createObject(c.app, { name: "o", otype: "timeseries", frobnicate: [1] });
    expect(obj).not.toHaveProperty("otype");
    expect(obj.name).toBe("o");
  });

  it("refuses `access` and the read-only modification date", async () => {
    expectError(
      await c.app.post("/api/objects", { type: "timeseries", name: "a", access: "*" }),
      400,
      "bad_query",
      "The access field is auto-generated from permissions - it cannot be set directly",
    );
    expectError(
      await c.app.post("/api/objects", { type: "timeseries", name: "a", modified_date: "2020-01-01" }),
      400,
      "access_denied",
      "Last Modified for object is readonly",
    );
    expectError(
      await user.post("/api/objects", { type: "timeseries", name: "a", modified_date: "2020-01-01" }),
      400,
      "access_denied",
      "Last Modified status of object is readonly",
    );
  });

  it("never lets a creator choose created_date (decision 3)", async () => {
    const obj = await createObject(c.app, { name: "dated", created_date: "2001-02-03" });
    expect(obj.created_date).toBe(today());
    expect((await read(c.app, obj.id as string)).created_date).toBe(today());
  });

  it("applies the per-identity rules of 6.2 step 3", async () => {
    expectError(
      await c.app.post("/api/objects", { type: "timeseries", name: "a", app: "another-app" }),
      400,
      "access_denied",
      "Can't create a object for a different app",
    );
    expectError(
      await c.app.post("/api/objects", { type: "timeseries", name: "a", owner: "someoneelse" }),
      400,
      "access_denied",
      "Can't create a object for a different user",
    );
    const explicit = await createObject(c.app, { name: "a", app: c.appId, owner: "test" });
    expect(explicit.app).toBe(c.appId);
    const viaSelf = await createObject(c.app, { name: "a", app: "self" });
    expect(viaSelf.app).toBe(c.appId);

    expectError(
      await user.post("/api/objects", { type: "timeseries", name: "a", app: c.appId }),
      400,
      "access_denied",
      "You cannot create objects belonging to an app",
    );
    expectError(
      await user.post("/api/objects", { type: "timeseries", name: "a", owner: "someoneelse" }),
      400,
      "access_denied",
      "Cannot create a object belonging to someone else",
    );
    expectError(
      await c.anon.post("/api/objects", { type: "timeseries", name: "a" }),
      400,
      "access_denied",
      "You must be logged in to create objects",
    );

    expectError(
      await c.plugin.post("/api/objects", { type: "timeseries" }),
      400,
      "bad_request",
      "Invalid name",
    );
    expectError(
      await c.plugin.post("/api/objects", { type: "timeseries", name: "p" }),
      400,
      "bad_query",
      "You must specify either an owner or an app to which the object should belong",
    );
    expectError(
      await c.plugin.post("/api/objects", { type: "timeseries", name: "p", owner: "test", app: c.appId }),
      400,
      "bad_query",
      "When creating a object for an app, you must not specify an owner",
    );
    const forApp = await createObject(c.plugin, { name: "p", app: c.appId });
    expect(forApp).toMatchObject({ owner: "test", app: c.appId, access: "*" });
    const forUser = await createObject(c.plugin, { name: "p", owner: "test" });
    expect(forUser).toMatchObject({ owner: "test", app: null, access: "*" });
  });

  it("accepts only the icon query parameter", async () => {
    expectError(
      await c.app.post("/api/objects?foo=1", { type: "timeseries", name: "q" }),
      400,
      "schema",
      'invalid path "foo"',
    );
  });
});

describe("create with data and read-back (6.2)", () => {
  it("inserts the initial data with the creator's rights", async () => {
    const obj = await createObject(c.app, {
      name: "with data",
      data: [
        { t: 1, d: 1 },
        { t: 2, d: 2, dt: 0.5 },
      ],
    });
    const res = await c.app.get(`/api/objects/${obj.id}/timeseries`);
    expect(res.body).toEqual([
      { t: 1, d: 1 },
      { t: 2, dt: 0.5, d: 2 },
    ]);
    expect((await read(c.app, obj.id as string)).last_modified).toBe(today());
  });

  it("a failing insert deletes the object again and answers 400", async () => {
    const before = (await c.app.get("/api/objects?app=self")).body as unknown[];
    expectError(
      await c.app.post("/api/objects", {
        type: "timeseries",
        name: "bad data",
        meta: { schema: { type: "number" } },
        data: [{ t: 1, d: "text" }],
      }),
      400,
      "bad_query",
      "The data failed schema validation",
    );
    expectError(
      await c.app.post("/api/objects", {
        type: "timeseries",
        name: "unordered",
        data: [
          { t: 2, d: 1 },
          { t: 1, d: 1 },
        ],
      }),
      400,
      "bad_query",
      "data must be ordered with increasing timestamps, and durations must not intersect",
    );
    expect((await c.app.get("/api/objects?app=self")).body).toHaveLength(before.length);
  });

  it("needs write access for the data: an app without it gets a 400 and no object", async () => {
    const app = await createApp(c, "test", { scope: "self.objects:create self.objects:read" });
    const res = await app.http.post("/api/objects", {
      type: "timeseries",
      name: "n",
      data: [{ t: 1, d: 1 }],
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: "access_denied", id: expect.any(String) });
    expect((await c.plugin.get(`/api/objects?app=${app.id}`)).body).toEqual([]);
  });

  it("an app that may create but not read its object gets 400 not_found and no object", async () => {
    const app = await createApp(c, "test", { scope: "self.objects:create" });
    expectError(
      await app.http.post("/api/objects", { type: "timeseries", name: "blind" }),
      400,
      "not_found",
      NOT_FOUND,
    );
    expect((await c.plugin.get(`/api/objects?app=${app.id}`)).body).toEqual([]);
  });
});

describe("keys", () => {
  it("are unique per app, with heedy's SQLite message", async () => {
    const a = await createObject(c.app, { name: "k1", key: "unique-key" });
    expect(a.key).toBe("unique-key");
    expectError(
      await c.app.post("/api/objects", { type: "timeseries", name: "k2", key: "unique-key" }),
      400,
      "server_error",
      "UNIQUE constraint failed: objects.key, objects.app",
    );
    const b = await createObject(c.app, { name: "k2", key: "other-key" });
    expectError(
      await c.app.patch(`/api/objects/${b.id}`, { key: "unique-key" }),
      400,
      "server_error",
      "UNIQUE constraint failed: objects.key, objects.app",
    );
    // Another app may use the same key.
    const other = await createApp(c, "test", { scope: "self.objects" });
    const c2 = await createObject(other.http, { name: "k3", key: "unique-key" });
    expect(c2.key).toBe("unique-key");
  });

  it("refuses an empty key on create and a key on a non-app object", async () => {
    expectError(
      await c.app.post("/api/objects", { type: "timeseries", name: "k", key: "" }),
      400,
      "bad_query",
      "Object key can't be empty string",
    );
    expectError(
      await user.post("/api/objects", { type: "timeseries", name: "k", key: "userkey" }),
      400,
      "server_error",
      "CHECK constraint failed: apps_only_key",
    );
  });

  it('are cleared by PATCH key=""', async () => {
    const o = await createObject(c.app, { name: "k", key: "to-clear" });
    expectOk(await c.app.patch(`/api/objects/${o.id}`, { key: "" }));
    expect(await read(c.app, o.id as string)).not.toHaveProperty("key");
    // The key is free again.
    expect((await createObject(c.app, { name: "k", key: "to-clear" })).key).toBe("to-clear");
  });
});

describe("list filters", () => {
  let filterApp: Awaited<ReturnType<typeof createApp>>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    filterApp = await createApp(c, "test", { scope: "*" });
    const h = filterApp.http;
    ids.ab = (await createObject(h, { name: "ab", tags: "alpha beta", key: "kab" })).id as string;
    ids.a = (await createObject(h, { name: "a", tags: "alpha" })).id as string;
    ids.b = (await createObject(h, { name: "b", tags: "beta gamma", key: "kb" })).id as string;
    ids.sub = (await createObject(h, { name: "sub", tags: "alphabet" })).id as string;
  });

  const list = async (query: string, http?: Http) => {
    const res = await (http ?? filterApp.http).get(`/api/objects?${query}`);
    expect(res.status, res.text).toBe(200);
    return (res.body as { id: string }[]).map((o) => o.id).sort();
  };

  it("app=self lists the app's objects and each carries access", async () => {
    const res = await filterApp.http.get("/api/objects?app=self");
    const objs = res.body as { id: string; access: string }[];
    expect(objs.map((o) => o.id).sort()).toEqual(Object.values(ids).sort());
    expect(objs.every((o) => o.access === "*")).toBe(true);
    expect(await list(`app=${filterApp.id}`)).toEqual(Object.values(ids).sort());
  });

  it("tags must all be present, as whole words", async () => {
    expect(await list("app=self&tags=alpha")).toEqual([ids.ab, ids.a].sort());
    expect(await list("app=self&tags=alpha+beta")).toEqual([ids.ab]);
    expect(await list("app=self&tags=beta%20alpha")).toEqual([ids.ab]);
    expect(await list("app=self&tags=gamma+alpha")).toEqual([]);
    expect(await list("app=self&tags=")).toEqual(Object.values(ids).sort());
  });

  it("key selects one object; key= selects objects without a key", async () => {
    expect(await list("app=self&key=kab")).toEqual([ids.ab]);
    expect(await list("app=self&key=nothing")).toEqual([]);
    expect(await list("app=self&key=")).toEqual([ids.a, ids.sub].sort());
  });

  it("type, owner and app filters", async () => {
    expect(await list("app=self&type=timeseries")).toHaveLength(4);
    expect(await list("app=self&type=dashboard")).toEqual([]);
    expect(await list("app=self&owner=test")).toHaveLength(4);
    expect(await list("app=self&owner=self")).toHaveLength(4);
    expect(await list("app=self&owner=nobody")).toEqual([]);
    // As a user, app=self matches nothing (3.4) and app= means "no app".
    const own = await createObject(user, { name: "no app", tags: "userobj" });
    expect(await list("app=self", user)).toEqual([]);
    expect(await list("app=&tags=userobj", user)).toEqual([own.id as string]);
    expect(await list(`app=${filterApp.id}`, user)).toEqual(Object.values(ids).sort());
  });

  it("limit counts rows; limit= is an empty result; a negative limit is no limit", async () => {
    expect(await list("app=self&limit=2")).toHaveLength(2);
    expect(await list("app=self&limit=0")).toEqual([]);
    expect(await list("app=self&limit=")).toEqual([]);
    expect(await list("app=self&limit=-1")).toHaveLength(4);
  });

  it("icon=true adds the icon to each element", async () => {
    const res = await filterApp.http.get("/api/objects?app=self&icon=true");
    expect((res.body as { icon?: string }[]).every((o) => o.icon === "")).toBe(true);
    const plain = await filterApp.http.get("/api/objects?app=self");
    expect((plain.body as object[]).every((o) => !("icon" in o))).toBe(true);
  });

  it("public sees nothing and an empty list is []", async () => {
    const res = await c.anon.get("/api/objects");
    expect(res.status).toBe(200);
    expect(res.text).toBe("[]");
  });
});

describe("limit after the access filter (decision 3)", () => {
  it("an app's limit counts only objects it can read", async () => {
    const own = await createApp(c, "test", { scope: "self.objects" });
    // Several objects the app cannot see, owned by the same user, so they share its listing.
    for (let i = 0; i < 6; i++) await createObject(user, { name: `hidden ${i}`, tags: "limitcase" });
    const mine = await createObject(own.http, { name: "visible", tags: "limitcase" });
    const res = await own.http.get("/api/objects?tags=limitcase&limit=1");
    expect(res.status).toBe(200);
    expect((res.body as { id: string }[]).map((o) => o.id)).toEqual([mine.id]);
  });

  it("a user's listing omits objects whose owner_scope lacks read (12.15)", async () => {
    const hidden = await createObject(c.app, {
      name: "write only",
      owner_scope: "write",
      tags: "ownerscopecase",
    });
    const shown = await createObject(c.app, {
      name: "read only",
      owner_scope: "read",
      tags: "ownerscopecase",
    });
    const res = await user.get("/api/objects?tags=ownerscopecase");
    expect(res.body).toEqual([{ ...shown, access: "read" }]);
    expectError(await user.get(`/api/objects/${hidden.id}`), 403, "not_found", NOT_FOUND);
  });
});

describe("read", () => {
  it("a missing object is a 403 not_found", async () => {
    expectError(
      await c.app.get("/api/objects/00000000-0000-4000-8000-000000000000"),
      403,
      "not_found",
      NOT_FOUND,
    );
    expectError(await user.get("/api/objects/nope"), 403, "not_found", NOT_FOUND);
    expectError(await c.anon.get("/api/objects/nope"), 403, "not_found", NOT_FOUND);
  });

  it("refuses unknown query names", async () => {
    const o = await createObject(c.app, { name: "r" });
    expectError(await c.app.get(`/api/objects/${o.id}?bad=1`), 400, "schema", 'invalid path "bad"');
  });

  it("an object of another user is indistinguishable from a missing one", async () => {
    await c.plugin.post("/api/users", { username: "stranger", password: "pw" });
    const theirs = await createObject(c.as("stranger"), { name: "theirs" });
    expectError(await c.app.get(`/api/objects/${theirs.id}`), 403, "not_found", NOT_FOUND);
    expectError(await user.get(`/api/objects/${theirs.id}`), 403, "not_found", NOT_FOUND);
    expect((await c.app.get("/api/objects?owner=stranger")).body).toEqual([]);
  });
});

describe("update", () => {
  it('answers exactly {"result":"ok"} and changes the fields', async () => {
    const o = await createObject(c.app, { name: "u" });
    expectOk(
      await c.app.patch(`/api/objects/${o.id}`, {
        name: " renamed ",
        description: "desc",
        tags: "x y x",
        owner_scope: "read update read",
        icon: "mdi-icon",
      }),
    );
    const after = await c.app.get(`/api/objects/${o.id}?icon=true`);
    const body = after.body as Record<string, string>;
    expect(body).toMatchObject({
      name: "renamed",
      description: "desc",
      icon: "mdi-icon",
      created_date: o.created_date,
    });
    expect(body.tags!.split(" ").sort()).toEqual(["x", "y"]);
    expect(body.owner_scope!.split(" ").sort()).toEqual(["read", "update"]);
    // A scope set containing `*` is just "*" (contract 3).
    expectOk(await c.app.patch(`/api/objects/${o.id}`, { owner_scope: "read * write" }));
    expect((await read(c.app, o.id as string)).owner_scope).toBe("*");
    expect((await createObject(c.app, { name: "s", owner_scope: "write * read" })).owner_scope).toBe("*");
  });

  it("refuses type, modification dates, access, created_date and empty updates", async () => {
    const o = await createObject(c.app, { name: "u" });
    const path = `/api/objects/${o.id}`;
    expectError(
      await c.app.patch(path, { type: "timeseries" }),
      400,
      "bad_query",
      "Modifying a object type is not supported",
    );
    expectError(
      await c.app.patch(path, { modified_date: "2020-01-01" }),
      400,
      "access_denied",
      "Modification date of object is readonly",
    );
    expectError(
      await c.app.patch(path, { last_modified: "2020-01-01" }),
      400,
      "access_denied",
      "Modification date of object is readonly",
    );
    expectError(
      await c.app.patch(path, { access: "*", name: "x" }),
      400,
      "bad_query",
      "The access field is auto-generated from permissions - it cannot be set directly",
    );
    expectError(await c.app.patch(path, {}), 400, "nop", "Nothing to update");
    expectError(await c.app.patch(path, { meta: {} }), 400, "nop", "Nothing to update");
    expectError(await c.app.patch(path), 400, "nop", "Nothing to update");
    // Decision 3: nobody overwrites created_date (heedy lets writers do it, 12.18).
    const dated = await c.app.patch(path, { created_date: "2001-02-03" });
    expect(dated.status).toBe(400);
    expect((dated.body as { error: string }).error).toBe("access_denied");
    const byPlugin = await c.plugin.patch(path, { created_date: "2001-02-03" });
    expect(byPlugin.status).toBe(400);
    expect((await read(c.app, o.id as string)).created_date).toBe(today());
    expect((await read(c.app, o.id as string)).name).toBe("u");
  });

  // heedy reports an invalid name or icon in a PATCH without meta as `nop` (6.4 quirk); this
  // server gives the specific 400 of section 3 in every case (same status, clearer message).
  it("validates name and icon", async () => {
    const o = await createObject(c.app, { name: "u" });
    const path = `/api/objects/${o.id}`;
    expectError(await c.app.patch(path, { name: "  " }), 400, "bad_request", "Invalid name");
    expectError(await c.app.patch(path, { name: "a\tb" }), 400, "bad_request", "Invalid name");
    expectError(
      await c.app.patch(path, { icon: "y".repeat(31) }),
      400,
      "bad_request",
      "icon name can't be more than 30 characters unless it is an image",
    );
    expect((await read(c.app, o.id as string)).name).toBe("u");
  });

  it('null fields mean "not given"; a key on a non-app object breaks apps_only_key', async () => {
    const o = await createObject(user, { name: "u" });
    expectError(
      await user.patch(`/api/objects/${o.id}`, { name: null, tags: null }),
      400,
      "nop",
      "Nothing to update",
    );
    expectError(
      await user.patch(`/api/objects/${o.id}`, { key: "k" }),
      400,
      "server_error",
      "CHECK constraint failed: apps_only_key",
    );
    expect(await read(user, o.id as string)).not.toHaveProperty("key");
  });

  it("a wrongly typed field is a json error", async () => {
    const o = await createObject(c.app, { name: "u" });
    expectError(
      await c.app.patch(`/api/objects/${o.id}`, { name: ["x"] }),
      400,
      "json",
      "cannot unmarshal array into Go struct field Object.name of type string",
    );
  });

  it("a missing object is a 403 not_found", async () => {
    expectError(await c.app.patch("/api/objects/missing", { name: "x" }), 403, "not_found", NOT_FOUND);
  });
});

describe("meta (decision 1, 6.4)", () => {
  it("merges per key and null restores the default", async () => {
    const o = await createObject(c.app, { name: "m" });
    const path = `/api/objects/${o.id}`;
    expectOk(await c.app.patch(path, { meta: { schema: { type: "number" } } }));
    expect((await read(c.app, o.id as string)).meta).toEqual({
      actor: false,
      schema: { type: "number" },
      subtype: "",
    });
    expectOk(await c.app.patch(path, { meta: { subtype: "heartrate", actor: true } }));
    expect((await read(c.app, o.id as string)).meta).toEqual({
      actor: true,
      schema: { type: "number" },
      subtype: "heartrate",
    });
    expectOk(await c.app.patch(path, { meta: { schema: null } }));
    expect((await read(c.app, o.id as string)).meta).toEqual({
      actor: true,
      schema: {},
      subtype: "heartrate",
    });
    expectOk(await c.app.patch(path, { meta: { actor: null, subtype: null } }));
    expect((await read(c.app, o.id as string)).meta).toEqual(DEFAULT_META);
  });

  it("create fills defaults around the given keys", async () => {
    const o = await createObject(c.app, { name: "m", meta: { schema: { type: "string" } } });
    expect(o.meta).toEqual({ actor: false, schema: { type: "string" }, subtype: "" });
    const n = await createObject(c.app, { name: "m", meta: { schema: null, subtype: "s" } });
    expect(n.meta).toEqual({ actor: false, schema: {}, subtype: "s" });
  });

  it("refuses other keys and values of the wrong kind with a 400", async () => {
    const o = await createObject(c.app, { name: "m" });
    const path = `/api/objects/${o.id}`;
    expectError(
      await c.app.patch(path, { meta: { foo: 1 } }),
      400,
      "server_error",
      "Property 'foo' not permitted",
    );
    expectError(
      await c.app.patch(path, { meta: { schema: "lol" } }),
      400,
      "schema",
      "Invalid type. Expected: object, given: string",
    );
    expectError(
      await c.app.patch(path, { meta: { actor: "yes" } }),
      400,
      "actor",
      "Invalid type. Expected: boolean, given: string",
    );
    expectError(
      await c.app.patch(path, { meta: { subtype: 3 } }),
      400,
      "subtype",
      "Invalid type. Expected: string, given: integer",
    );
    const notASchema = await c.app.patch(path, { meta: { schema: { type: "lol" } } });
    expect(notASchema.status).toBe(400);
    expect((notASchema.body as { error: string }).error).toBe("schema");
    // Deleting an unknown key is allowed (6.4); nothing changed.
    expectOk(await c.app.patch(path, { meta: { unknown: null } }));
    expect((await read(c.app, o.id as string)).meta).toEqual(DEFAULT_META);

    // On create, heedy validates the whole meta against the type's schema (6.2 step 5).
    expectError(
      await c.app.post("/api/objects", { type: "timeseries", name: "m", meta: { foo: 1 } }),
      400,
      "(root)",
      "Additional property foo is not allowed",
    );
    expectError(
      await c.app.post("/api/objects", { type: "timeseries", name: "m", meta: { schema: "lol" } }),
      400,
      "schema",
      "Invalid type. Expected: object, given: string",
    );
    expectError(
      await c.app.post("/api/objects", { type: "timeseries", name: "m", meta: "lol" }),
      400,
      "read_error",
      "json: cannot unmarshal string into Go struct field Object.meta of type map[string]interface {}",
    );
  });
});

describe("delete", () => {
  it("an app deletes its object; it is then gone", async () => {
    const o = await createObject(c.app, { name: "d" });
    expectOk(await c.app.delete(`/api/objects/${o.id}`));
    expectError(await c.app.get(`/api/objects/${o.id}`), 403, "not_found", NOT_FOUND);
    expectError(await c.app.delete(`/api/objects/${o.id}`), 403, "not_found", NOT_FOUND);
  });

  it("a user deletes only their own non-app objects (12.16 kept)", async () => {
    const appObj = await createObject(c.app, { name: "d" });
    expectError(await user.delete(`/api/objects/${appObj.id}`), 400, "not_found", NOT_FOUND);
    const mine = await createObject(user, { name: "d" });
    expectOk(await user.delete(`/api/objects/${mine.id}`));
    expect((await user.get(`/api/objects/${mine.id}`)).status).toBe(403);
  });

  it("public gets the 403 of the read first", async () => {
    const o = await createObject(c.app, { name: "d" });
    expectError(await c.anon.delete(`/api/objects/${o.id}`), 403, "not_found", NOT_FOUND);
    expect(await read(c.app, o.id as string)).toMatchObject({ id: o.id });
  });

  it("deleting an object removes its KV entries", async () => {
    const o = await createObject(c.app, { name: "kv" });
    expectOk(await c.plugin.post(`/api/kv/objects/${o.id}/ns`, { a: 1 }));
    expect((await c.plugin.get(`/api/kv/objects/${o.id}/ns`)).body).toEqual({ a: 1 });
    expectOk(await c.app.delete(`/api/objects/${o.id}`));
    expect((await c.plugin.get(`/api/kv/objects/${o.id}/ns`)).body).toEqual({});
  });
});

describe("moving objects", () => {
  // heedy lets any updater re-point `owner`/`app` without re-checking (3.3); this server keeps
  // the app/owner invariant by leaving that to the plugin key.
  it("only the plugin key may change owner or app", async () => {
    const o = await createObject(c.app, { name: "mv" });
    const res = await c.app.patch(`/api/objects/${o.id}`, { owner: "stranger" });
    expect(res.status).toBe(400);
    expect((res.body as { error: string }).error).toBe("access_denied");
    expect((await read(c.app, o.id as string)).owner).toBe("test");
  });
});

it("responses carry no-store and JSON content type", async () => {
  const res = await c.app.get("/api/objects");
  expect(res.headers.get("cache-control")).toBe("no-store");
  expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
  expect(OK).toEqual({ result: "ok" });
});
