/** /api/apps (contract section 5, decisions 3 and 4) over HTTP. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bearer,
  type Clients,
  clientsFor,
  createApp,
  createUser,
  expectAuthError,
  expectError,
  expectOk,
  type Http,
  login,
  today,
} from "../test-http.js";
import { startTestServer, type TestServer } from "../testing.js";

let server: TestServer;
let c: Clients;
let user: Http;
let bob: Http;

beforeAll(async () => {
  server = await startTestServer();
  c = await clientsFor(server);
  await createUser(c, "bob", "pw");
  user = await login(c, "test", "test");
  bob = await login(c, "bob", "pw");
});
afterAll(() => server.close());

const NOT_FOUND = "The selected resource was not found";
const UNIMPLEMENTED = "The given functionality is currently unimplemented";

describe("create", () => {
  it("a user's new app has heedy's defaults and no visible token", async () => {
    const res = await user.post("/api/apps", { name: "Mine" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: "Mine",
      description: "",
      owner: "test",
      enabled: true,
      created_date: today(),
      last_access_date: null,
      scope: "",
      settings: {},
      settings_schema: {},
    });
  });

  it("?token=true shows the new token once; it authenticates and sets last_access_date", async () => {
    const res = await user.post("/api/apps?token=true", {
      name: "Tokened",
      scope: "self.objects owner:read",
    });
    const app = res.body as { id: string; access_token: string; scope: string };
    expect(app.access_token).toMatch(/^[A-Za-z0-9_+/=-]{20,}$/);
    expect(app.scope.split(" ").sort()).toEqual(["owner:read", "self.objects"]);
    const me = await c.anon.with(bearer(app.access_token)).get("/api/apps/self");
    expect(me.body).toMatchObject({ id: app.id, owner: "test", last_access_date: today() });
    expect(me.body).not.toHaveProperty("access_token");
    // Decision 4: tokens are stored hashed, so a later read can only answer "".
    expect((await user.get(`/api/apps/${app.id}?token=true`)).body).toMatchObject({ access_token: "" });
  });

  it('access_token "" makes an app without a token, which always reads access_token ""', async () => {
    const res = await user.post("/api/apps?token=true", { name: "No token", access_token: "" });
    expect(res.body).toMatchObject({ access_token: "" });
    const id = (res.body as { id: string }).id;
    expect((await user.get(`/api/apps/${id}`)).body).toMatchObject({ access_token: "" });
  });

  it("keeps the given fields and de-duplicates scope; `*` absorbs", async () => {
    const res = await user.post("/api/apps?icon=true", {
      name: " Full ",
      description: "d",
      icon: "mdi-app",
      enabled: false,
      scope: "owner:read * owner:read",
      settings_schema: { lol: { type: "number", default: 3 } },
    });
    expect(res.body).toMatchObject({
      name: "Full",
      description: "d",
      icon: "mdi-app",
      enabled: false,
      scope: "*",
      settings: { lol: 3 },
      settings_schema: { lol: { type: "number", default: 3 } },
    });
  });

  it("refuses bad names, other owners, apps and public", async () => {
    expectError(await user.post("/api/apps", {}), 400, "bad_request", "Invalid name");
    expectError(await user.post("/api/apps", { name: "a\nb" }), 400, "bad_request", "Invalid name");
    expectError(
      await user.post("/api/apps", { name: "x", icon: "i".repeat(31) }),
      400,
      "bad_request",
      "icon name can't be more than 30 characters unless it is an image",
    );
    expectError(
      await user.post("/api/apps", { name: "x", owner: "bob" }),
      400,
      "access_denied",
      "Cannot create an app belonging to someone else",
    );
    expectError(await c.app.post("/api/apps", { name: "x" }), 400, "server_error", UNIMPLEMENTED);
    expectError(
      await c.app.post("/api/apps", { name: "x", plugin: "p:a" }),
      400,
      "access_denied",
      "Only users can create apps",
    );
    expectError(
      await c.anon.post("/api/apps", { name: "x" }),
      400,
      "access_denied",
      "You must be logged in to create apps",
    );
    expectError(
      await c.plugin.post("/api/apps", { name: "x" }),
      400,
      "bad_query",
      "An app must have an owner",
    );
    expectError(
      await c.plugin.post("/api/apps", { name: "x", owner: "bob", plugin: "nocolon" }),
      400,
      "bad_query",
      "plugin keys must be in the format 'plugin_name:key'",
    );
    expectError(
      await c.plugin.post("/api/apps", { name: "x", owner: "nobody" }),
      400,
      "not_found",
      "User was not found",
    );
    expectError(
      await user.post("/api/apps", { name: "x", settings: { a: 1 } }),
      400,
      "bad_query",
      "A settings_schema is needed to set app settings",
    );
    expectError(
      await user.post("/api/apps", { name: "x", enabled: "yes" }),
      400,
      "json",
      "cannot unmarshal string into Go struct field App.enabled of type bool",
    );
    expectError(await user.post("/api/apps?bogus=1", { name: "x" }), 400, "schema", 'invalid path "bogus"');
  });
});

describe("list", () => {
  it("a user lists only their own apps, with owner omitted, self or their name", async () => {
    const ids = async (http: Http, q = "") => {
      const res = await http.get(`/api/apps${q}`);
      expect(res.status, res.text).toBe(200);
      return (res.body as { id: string; owner: string }[]).map((a) => a.owner);
    };
    for (const q of ["", "?owner=self", "?owner=test"]) {
      const owners = await ids(user, q);
      expect(owners.length).toBeGreaterThan(0);
      expect(new Set(owners)).toEqual(new Set(["test"]));
    }
    expectError(await user.get("/api/apps?owner=bob"), 400, "access_denied", "Can only list your own apps");
    expect((await bob.get("/api/apps")).text).toBe("[]");
  });

  it("enabled filters; enabled= (empty) means disabled apps (1.5)", async () => {
    const off = await createApp(c, "bob", { enabled: false });
    const on = await createApp(c, "bob");
    const list = async (q: string) =>
      ((await bob.get(`/api/apps${q}`)).body as { id: string }[]).map((a) => a.id);
    expect(await list("?enabled=false")).toEqual([off.id]);
    expect(await list("?enabled=")).toEqual([off.id]);
    expect(await list("?enabled=true")).toEqual([on.id]);
    expect((await list("")).sort()).toEqual([off.id, on.id].sort());
  });

  it('reads never show a token; token-less apps show ""', async () => {
    const res = await user.get("/api/apps?token=true");
    for (const a of res.body as { access_token?: string }[]) expect(a.access_token ?? "").toBe("");
    expect(res.text).not.toContain(server.token);
  });

  it("the plugin key lists all apps and filters by plugin; apps and public are refused", async () => {
    const all = (await c.plugin.get("/api/apps")).body as { owner: string }[];
    expect(new Set(all.map((a) => a.owner))).toEqual(new Set(["test", "bob"]));
    const plugged = await c.plugin.post("/api/apps", { name: "P", owner: "bob", plugin: "myplugin:thing" });
    expect(plugged.body).toMatchObject({ plugin: "myplugin:thing" });
    const byPlugin = (await c.plugin.get("/api/apps?plugin=myplugin:thing")).body as { id: string }[];
    expect(byPlugin.map((a) => a.id)).toEqual([(plugged.body as { id: string }).id]);
    const noPlugin = (await c.plugin.get("/api/apps?plugin=")).body as { plugin?: string }[];
    expect(noPlugin.length).toBe(all.length);
    expect(noPlugin.every((a) => a.plugin === undefined)).toBe(true);
    expectError(await c.app.get("/api/apps"), 400, "server_error", UNIMPLEMENTED);
    expectError(await c.anon.get("/api/apps"), 400, "access_denied", "You must be logged in to list apps");
  });
});

describe("read", () => {
  it("an app reads itself as self or by id, needing no scope", async () => {
    const app = await createApp(c, "test", { scope: "" });
    const bySelf = await app.http.get("/api/apps/self");
    const byId = await app.http.get(`/api/apps/${app.id}`);
    expect(bySelf.body).toEqual(byId.body);
    expect(bySelf.body).toMatchObject({ id: app.id, owner: "test", scope: "" });
    expectError(await app.http.get(`/api/apps/${c.appId}`), 400, "access_denied", "Can't read other apps");
  });

  it("a user reads only their own apps and self is not resolved for users", async () => {
    expect((await user.get(`/api/apps/${c.appId}`)).body).toMatchObject({
      id: c.appId,
      name: "Test App",
      scope: "*",
    });
    expectError(await bob.get(`/api/apps/${c.appId}`), 400, "not_found", NOT_FOUND);
    expectError(await user.get("/api/apps/self"), 400, "not_found", NOT_FOUND);
    expectError(await user.get("/api/apps/nope"), 400, "not_found", NOT_FOUND);
    expectError(
      await c.anon.get(`/api/apps/${c.appId}`),
      400,
      "access_denied",
      "You must be logged in to read apps",
    );
    expect((await user.get(`/api/apps/${c.appId}?icon=true`)).body).toMatchObject({ icon: "" });
  });
});

describe("update", () => {
  it('answers {"result":"ok"} without access_token for a plain update', async () => {
    const app = await createApp(c, "test");
    const res = await app.http.patch("/api/apps/self", { description: "x", name: "Renamed" });
    expectOk(res);
    expect((await app.http.get("/api/apps/self")).body).toMatchObject({ description: "x", name: "Renamed" });
    expectError(await app.http.patch("/api/apps/self", {}), 400, "nop", "Nothing to update");
  });

  it("regenerates and removes tokens; the old token stops working at once", async () => {
    const app = await createApp(c, "test");
    const res = await app.http.patch("/api/apps/self", { access_token: "generate" });
    const body = res.body as { result: string; access_token: string };
    expect(Object.keys(body).sort()).toEqual(["access_token", "result"]);
    expect(body.result).toBe("ok");
    expect(body.access_token).not.toBe(app.token);
    expectAuthError(
      await app.http.get("/api/apps/self"),
      401,
      "access_denied",
      "access_denied: invalid API key",
    );
    const fresh = c.anon.with(bearer(body.access_token));
    expect((await fresh.get("/api/apps/self")).status).toBe(200);
    const removed = await user.patch(`/api/apps/${app.id}`, { access_token: "" });
    expect(removed.text).toBe('{"result":"ok","access_token":""}');
    expectAuthError(
      await fresh.get("/api/apps/self"),
      401,
      "access_denied",
      "access_denied: invalid API key",
    );
    expect((await user.get(`/api/apps/${app.id}`)).body).toMatchObject({ access_token: "" });
  });

  it("an app cannot change its own scope, owner or plugin (decision 3)", async () => {
    const app = await createApp(c, "test", { scope: "owner:read" });
    expectError(
      await app.http.patch("/api/apps/self", { scope: "*" }),
      400,
      "access_denied",
      "Can't change own scope",
    );
    const owner = await app.http.patch("/api/apps/self", { owner: "bob" });
    expect(owner.status).toBe(400);
    expect((owner.body as { error: string }).error).toBe("access_denied");
    expectError(
      await app.http.patch("/api/apps/self", { plugin: "a:b" }),
      400,
      "access_denied",
      "Cannot modify app plugin value",
    );
    expect((await app.http.get("/api/apps/self")).body).toMatchObject({ owner: "test", scope: "owner:read" });
    expectError(
      await app.http.patch(`/api/apps/${c.appId}`, { name: "x" }),
      400,
      "access_denied",
      "Can't modify other apps",
    );
    // Naming its current owner is not a change.
    expectOk(await app.http.patch("/api/apps/self", { owner: "test", description: "same owner" }));
  });

  it("a user may not change plugin or settings_schema, nor give the app away", async () => {
    const app = await createApp(c, "test");
    expectError(
      await user.patch(`/api/apps/${app.id}`, { plugin: "a:b" }),
      400,
      "access_denied",
      "Cannot modify app plugin value",
    );
    expectError(
      await user.patch(`/api/apps/${app.id}`, { settings_schema: {} }),
      400,
      "access_denied",
      "Cannot modify app settings schema - only the app itself can do that.",
    );
    const away = await user.patch(`/api/apps/${app.id}`, { owner: "bob" });
    expect(away.status).toBe(400);
    expect((away.body as { error: string }).error).toBe("access_denied");
    expectOk(await user.patch(`/api/apps/${app.id}`, { scope: "self.objects", enabled: false }));
    expect((await user.get(`/api/apps/${app.id}`)).body).toMatchObject({
      scope: "self.objects",
      enabled: false,
    });
    expectError(await bob.patch(`/api/apps/${app.id}`, { name: "mine" }), 400, "not_found", NOT_FOUND);
    expectError(
      await c.anon.patch(`/api/apps/${app.id}`, { name: "x" }),
      400,
      "access_denied",
      "You must be logged in to modify apps",
    );
  });

  it("never overwrites created_date or last_access_date (read-only, silently ignored)", async () => {
    const app = await createApp(c, "test");
    expectOk(
      await user.patch(`/api/apps/${app.id}`, {
        name: "n",
        created_date: "2001-01-01",
        last_access_date: "2001-01-01",
      }),
    );
    expect((await user.get(`/api/apps/${app.id}`)).body).toMatchObject({
      created_date: today(),
      last_access_date: null,
    });
  });

  it("validates settings against the property-map schema (5.5)", async () => {
    const app = await createApp(c, "test");
    const path = "/api/apps/self";
    expectOk(
      await app.http.patch(path, {
        settings_schema: { lol: { type: "number", default: 1 }, li: { type: "string" } },
      }),
    );
    expect((await app.http.get(path)).body).toMatchObject({ settings: { lol: 1 } });
    expectOk(await app.http.patch(path, { settings: { li: "x" } }));
    expect((await app.http.get(path)).body).toMatchObject({ settings: { li: "x", lol: 1 } });
    expectError(
      await app.http.patch(path, { settings: { hee: 1 } }),
      400,
      "(root)",
      "Additional property hee is not allowed",
    );
    expectError(
      await app.http.patch(path, { settings: { lol: "x" } }),
      400,
      "lol",
      "Invalid type. Expected: number, given: string",
    );
    expectOk(
      await app.http.patch(path, {
        settings_schema: { lol: { type: "number", default: 1 }, li: { type: "string" }, required: ["li"] },
      }),
    );
    expectError(await app.http.patch(path, { settings: {} }), 400, "(root)", "li is required");
    expectError(
      await app.http.patch(path, { settings_schema: { type: "array" } }),
      400,
      "bad_query",
      "Schema must have type 'object'",
    );
  });
});

describe("delete", () => {
  it("a user deletes their app; its token and objects go with it", async () => {
    const app = await createApp(c, "test", { scope: "self.objects" });
    const obj = await app.http.post("/api/objects", { name: "o", type: "timeseries" });
    expectOk(await user.delete(`/api/apps/${app.id}`));
    expectAuthError(
      await app.http.get("/api/apps/self"),
      401,
      "access_denied",
      "access_denied: invalid API key",
    );
    expectError(
      await c.plugin.get(`/api/objects/${(obj.body as { id: string }).id}`),
      403,
      "not_found",
      NOT_FOUND,
    );
    expectError(await user.delete(`/api/apps/${app.id}`), 400, "not_found", NOT_FOUND);
  });

  it("apps cannot delete anything, not even themselves; others' apps are not found", async () => {
    const app = await createApp(c, "test");
    expectError(await app.http.delete("/api/apps/self"), 400, "server_error", UNIMPLEMENTED);
    expectError(await app.http.delete(`/api/apps/${app.id}`), 400, "server_error", UNIMPLEMENTED);
    expectError(await bob.delete(`/api/apps/${app.id}`), 400, "not_found", NOT_FOUND);
    expectError(
      await c.anon.delete(`/api/apps/${app.id}`),
      400,
      "access_denied",
      "You must be logged in to delete apps",
    );
    expect((await app.http.get("/api/apps/self")).status).toBe(200);
  });
});

describe("disabled apps", () => {
  it("are refused with 401 app_disabled and no id; re-enabling restores access", async () => {
    const app = await createApp(c, "test");
    expectOk(await user.patch(`/api/apps/${app.id}`, { enabled: false }));
    expectAuthError(
      await app.http.get("/api/apps/self"),
      401,
      "access_denied",
      "app_disabled: the app was disabled",
    );
    expectOk(await user.patch(`/api/apps/${app.id}`, { enabled: true }));
    expect((await app.http.get("/api/apps/self")).status).toBe(200);
  });
});
