/**
 * The object permission matrix of contract 7.4/7.5 with decision 3 (an app's own objects are
 * governed by its `self.objects…` scopes alone, not by `owner_scope`), over HTTP.
 *
 * Rows are requesters; columns are operations on three kinds of object of user `test`:
 *   own     — belongs to the requesting app itself,
 *   sibling — belongs to another app of the same owner (owner_scope `*`),
 *   user    — belongs to `test` directly (no app).
 * Every cell is "<status> <error>: <description>" or a short success description, so a failing
 * row shows the whole row's difference at once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Clients,
  clientsFor,
  createApp,
  createObject,
  createUser,
  type Http,
  login,
  type Res,
} from "./test-http.js";
import { startTestServer, type TestServer } from "./testing.js";

let server: TestServer;
let c: Clients;
let testUser: Http;
let sibling: { id: string; http: Http };

beforeAll(async () => {
  server = await startTestServer();
  c = await clientsFor(server);
  await createUser(c, "other");
  testUser = await login(c, "test", "test");
  sibling = await createApp(c, "test", { name: "Sibling", scope: "*" });
});
afterAll(() => server.close());

const NF403 = "403 not_found: The selected resource was not found";
const NF400 = "400 not_found: The selected resource was not found";
const DEL_DENIED = "400 access_denied: Insufficient permissions to delete the object";
const CREATE_DENIED = "400 access_denied: Insufficient access to create a object of this type";
const DISABLED = "401 access_denied: app_disabled: the app was disabled (no id)";
const OTHER_APP = "400 access_denied: Can't create a object for a different app";

function cell(res: Res, success: (body: unknown) => string): string {
  const body = res.body as { error?: string; error_description?: string; id?: string } | undefined;
  if (res.status === 200) return success(res.body);
  const id = body && "id" in body ? "" : " (no id)";
  return `${res.status} ${body?.error}: ${body?.error_description}${id}`;
}

const accessOf = (body: unknown) => `200 access=${(body as { access: string }).access}`;

type Kind = "own" | "sibling" | "user";
type Row = Record<string, string>;

/** A fresh object of each kind for the requester (`ownerApp` is the requesting app, if any). */
async function fixtures(ownerApp: string | undefined): Promise<Record<Kind, string | undefined>> {
  const own = ownerApp
    ? ((await createObject(c.plugin, { name: "own", app: ownerApp })).id as string)
    : undefined;
  const sib = (await createObject(sibling.http, { name: "sibling" })).id as string;
  const usr = (await createObject(testUser, { name: "user" })).id as string;
  return { own, sibling: sib, user: usr };
}

/** Runs list/read/update/delete on each kind of object, then create, and returns the row. */
async function measure(http: Http, ownerApp: string | undefined): Promise<Row> {
  const row: Row = {};
  const objs = await fixtures(ownerApp);
  const listed = await http.get("/api/objects");
  for (const kind of ["own", "sibling", "user"] as const) {
    const id = objs[kind];
    if (id === undefined) continue;
    row[`list ${kind}`] = cell(listed, (body) => {
      const found = (body as { id: string; access: string }[]).find((o) => o.id === id);
      return found ? `listed access=${found.access}` : "hidden";
    });
    row[`read ${kind}`] = cell(await http.get(`/api/objects/${id}`), accessOf);
    row[`update ${kind}`] = cell(
      await http.patch(`/api/objects/${id}`, { description: "changed" }),
      () => "200 ok",
    );
    row[`delete ${kind}`] = cell(await http.delete(`/api/objects/${id}`), () => "200 ok");
  }
  row.create = cell(await http.post("/api/objects", { name: "new", type: "timeseries" }), accessOf);
  row["create for sibling"] = cell(
    await http.post("/api/objects", { name: "new", type: "timeseries", app: sibling.id }),
    accessOf,
  );
  return row;
}

/** The cells of an app that sees only what it is given through `objects:read`-style scopes. */
const ALL_HIDDEN_EXCEPT_OWN = (own: Partial<Row>): Row => ({
  ...own,
  "list sibling": "hidden",
  "read sibling": NF403,
  "update sibling": NF403,
  "delete sibling": NF403,
  "list user": "hidden",
  "read user": NF403,
  "update user": NF403,
  "delete user": NF403,
  "create for sibling": OTHER_APP,
});

const OWN_FULL: Row = {
  "list own": "listed access=*",
  "read own": "200 access=*",
  "update own": "200 ok",
  "delete own": "200 ok",
  create: "200 access=*",
};

const OWN_HIDDEN: Row = {
  "list own": "hidden",
  "read own": NF403,
  "update own": NF403,
  "delete own": NF403,
  create: CREATE_DENIED,
};

describe("apps of user test", () => {
  it("scope *", async () => {
    const app = await createApp(c, "test", { scope: "*" });
    expect(await measure(app.http, app.id)).toEqual({
      ...OWN_FULL,
      "list sibling": "listed access=*",
      "read sibling": "200 access=*",
      "update sibling": "200 ok",
      "delete sibling": "200 ok",
      "list user": "listed access=*",
      "read user": "200 access=*",
      "update user": "200 ok",
      "delete user": "200 ok",
      "create for sibling": OTHER_APP,
    });
  });

  it("scope self.objects", async () => {
    const app = await createApp(c, "test", { scope: "self.objects" });
    expect(await measure(app.http, app.id)).toEqual(ALL_HIDDEN_EXCEPT_OWN(OWN_FULL));
  });

  it("scope self.objects:read", async () => {
    const app = await createApp(c, "test", { scope: "self.objects:read" });
    expect(await measure(app.http, app.id)).toEqual(
      ALL_HIDDEN_EXCEPT_OWN({
        "list own": "listed access=read",
        "read own": "200 access=read",
        "update own": NF400,
        "delete own": DEL_DENIED,
        create: CREATE_DENIED,
      }),
    );
  });

  it("scope objects:read", async () => {
    const app = await createApp(c, "test", { scope: "objects:read" });
    expect(await measure(app.http, app.id)).toEqual({
      ...OWN_HIDDEN,
      "list sibling": "listed access=read",
      "read sibling": "200 access=read",
      "update sibling": NF400,
      "delete sibling": DEL_DENIED,
      "list user": "listed access=read",
      "read user": "200 access=read",
      "update user": NF400,
      "delete user": DEL_DENIED,
      "create for sibling": OTHER_APP,
    });
  });

  it("scope owner:read", async () => {
    const app = await createApp(c, "test", { scope: "owner:read" });
    expect(await measure(app.http, app.id)).toEqual(ALL_HIDDEN_EXCEPT_OWN(OWN_HIDDEN));
  });

  it("no scope", async () => {
    const app = await createApp(c, "test", { scope: "" });
    expect(await measure(app.http, app.id)).toEqual(ALL_HIDDEN_EXCEPT_OWN(OWN_HIDDEN));
  });

  it("a disabled app is refused before anything else", async () => {
    const app = await createApp(c, "test", { scope: "*", enabled: false });
    const row = await measure(app.http, app.id);
    expect(Object.values(row).every((v) => v === DISABLED)).toBe(true);
    expect(Object.keys(row)).toHaveLength(14);
  });
});

describe("other requesters", () => {
  it("an app of another user sees none of test's objects", async () => {
    const app = await createApp(c, "other", { scope: "*" });
    const row = await measure(app.http, undefined);
    const ownObj = await createObject(app.http, { name: "theirs" });
    expect(ownObj).toMatchObject({ owner: "other", app: app.id, access: "*" });
    expect(row).toEqual({
      "list sibling": "hidden",
      "read sibling": NF403,
      "update sibling": NF403,
      "delete sibling": NF403,
      "list user": "hidden",
      "read user": NF403,
      "update user": NF403,
      "delete user": NF403,
      create: "200 access=*",
      "create for sibling": OTHER_APP,
    });
  });

  it("the owner (session cookie) has owner_scope on app objects and * on its own", async () => {
    const row = await measure(testUser, undefined);
    expect(row).toEqual({
      "list sibling": "listed access=*",
      "read sibling": "200 access=*",
      "update sibling": "200 ok",
      // 6.5/12.16 (kept): a user deletes only objects that no app manages.
      "delete sibling": NF400,
      "list user": "listed access=*",
      "read user": "200 access=*",
      "update user": "200 ok",
      "delete user": "200 ok",
      create: "200 access=*",
      "create for sibling": "400 access_denied: You cannot create objects belonging to an app",
    });
  });

  it("the owner acting through the plugin key's X-Heedy-As gets the same answers", async () => {
    expect(await measure(c.as("test"), undefined)).toEqual(await measure(testUser, undefined));
  });

  it("another user sees none of them", async () => {
    const row = await measure(await login(c, "other", "pw"), undefined);
    expect(row).toEqual({
      "list sibling": "hidden",
      "read sibling": NF403,
      "update sibling": NF403,
      "delete sibling": NF403,
      "list user": "hidden",
      "read user": NF403,
      "update user": NF403,
      "delete user": NF403,
      create: "200 access=*",
      "create for sibling": "400 access_denied: You cannot create objects belonging to an app",
    });
  });

  it("public sees nothing and cannot create", async () => {
    const row = await measure(c.anon, undefined);
    expect(row).toEqual({
      "list sibling": "hidden",
      "read sibling": NF403,
      "update sibling": NF403,
      "delete sibling": NF403,
      "list user": "hidden",
      "read user": NF403,
      "update user": NF403,
      "delete user": NF403,
      create: "400 access_denied: You must be logged in to create objects",
      "create for sibling": "400 access_denied: You must be logged in to create objects",
    });
  });
});

describe("owner_scope", () => {
  it("does not limit an app's access to its own objects (decision 3, 12.15)", async () => {
    const app = await createApp(c, "test", { scope: "self.objects" });
    const made = await app.http.post("/api/objects", {
      name: "private",
      type: "timeseries",
      owner_scope: "",
    });
    expect(made.status, made.text).toBe(200);
    const id = (made.body as { id: string }).id;
    expect(made.body).toMatchObject({ owner_scope: "", access: "*" });
    expect(cell(await app.http.get(`/api/objects/${id}`), accessOf)).toBe("200 access=*");
    expect(cell(await app.http.patch(`/api/objects/${id}`, { name: "renamed" }), () => "200 ok")).toBe(
      "200 ok",
    );
    // The owner is shut out of it entirely.
    expect(cell(await testUser.get(`/api/objects/${id}`), accessOf)).toBe(NF403);
    expect(cell(await app.http.delete(`/api/objects/${id}`), () => "200 ok")).toBe("200 ok");
  });

  it("limits the owner: read alone makes the object read-only for them", async () => {
    const app = await createApp(c, "test", { scope: "self.objects" });
    const obj = await createObject(app.http, { name: "managed", owner_scope: "read" });
    expect(cell(await testUser.get(`/api/objects/${obj.id}`), accessOf)).toBe("200 access=read");
    expect(cell(await testUser.patch(`/api/objects/${obj.id}`, { description: "x" }), () => "200 ok")).toBe(
      NF400,
    );
  });

  it("update:basic lets the owner change description but not name", async () => {
    const app = await createApp(c, "test", { scope: "self.objects" });
    const obj = await createObject(app.http, { name: "managed", owner_scope: "read update:basic" });
    expect(cell(await testUser.patch(`/api/objects/${obj.id}`, { description: "x" }), () => "200 ok")).toBe(
      "200 ok",
    );
    expect(cell(await testUser.patch(`/api/objects/${obj.id}`, { name: "y" }), () => "200 ok")).toBe(NF400);
    expect(cell(await testUser.patch(`/api/objects/${obj.id}`, { owner_scope: "*" }), () => "200 ok")).toBe(
      NF400,
    );
  });

  it("caps an objects:* app on the owner's own objects, and a sibling's object through the owner (7.4 step 3)", async () => {
    const app = await createApp(c, "test", { scope: "objects" });
    const capped = await createObject(testUser, { name: "capped", owner_scope: "read" });
    expect(cell(await app.http.get(`/api/objects/${capped.id}`), accessOf)).toBe("200 access=read");
    const sib = await createObject(sibling.http, { name: "sib", owner_scope: "read write" });
    expect(cell(await app.http.get(`/api/objects/${sib.id}`), accessOf)).toBe("200 access=read write");
    const hidden = await createObject(sibling.http, { name: "sib", owner_scope: "write" });
    expect(cell(await app.http.get(`/api/objects/${hidden.id}`), accessOf)).toBe(NF403);
  });

  it("type-restricted scopes: self.objects.timeseries and objects.timeseries:read", async () => {
    const typed = await createApp(c, "test", { scope: "self.objects.timeseries objects.timeseries:read" });
    const own = await createObject(typed.http, { name: "typed" });
    expect(own.access).toBe("*");
    const usr = await createObject(testUser, { name: "u" });
    expect(cell(await typed.http.get(`/api/objects/${usr.id}`), accessOf)).toBe("200 access=read");
    const creator = await createApp(c, "test", { scope: "self.objects:create self.objects:read" });
    expect(cell(await creator.http.post("/api/objects", { name: "n", type: "timeseries" }), accessOf)).toBe(
      "200 access=create read",
    );
  });
});
