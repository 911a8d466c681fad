/** The key-value store (contract section 9) over HTTP. */
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
} from "../test-http.js";
import { startTestServer, type TestServer } from "../testing.js";

let server: TestServer;
let c: Clients;
let user: Http;

beforeAll(async () => {
  server = await startTestServer();
  c = await clientsFor(server);
  user = await login(c, "test", "test");
});
afterAll(() => server.close());

const PLUGINS_ONLY = "KV is currently only available to plugins.";
const OTHER_APPS = "apps don't currently support KV in other apps.";

describe("an app's own namespace", () => {
  it("is the same store in all four spellings", async () => {
    const app = await createApp(c, "test", { scope: "" });
    const spellings = [
      "/api/kv/apps/self/self",
      `/api/kv/apps/${app.id}/self`,
      `/api/kv/apps/self/${app.id}`,
      `/api/kv/apps/${app.id}/${app.id}`,
    ];
    for (const [i, path] of spellings.entries()) {
      expectOk(await app.http.patch(path, { [`k${i}`]: i }));
    }
    const expected = { k0: 0, k1: 1, k2: 2, k3: 3 };
    for (const path of spellings) {
      const res = await app.http.get(path);
      expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: expected });
      expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    }
    // Stored under the app id: the plugin sees it there.
    expect((await c.plugin.get(`/api/kv/apps/${app.id}/${app.id}`)).body).toEqual(expected);
  });

  it("starts empty: {} and a missing key is 200 null", async () => {
    const app = await createApp(c, "test");
    const all = await app.http.get("/api/kv/apps/self/self");
    expect({ status: all.status, text: all.text }).toEqual({ status: 200, text: "{}" });
    const missing = await app.http.get("/api/kv/apps/self/self/nothing");
    expect({ status: missing.status, text: missing.text }).toEqual({ status: 200, text: "null" });
    expect(missing.headers.get("content-type")).toBe("application/json; charset=utf-8");
  });

  it("POST replaces the namespace; PATCH upserts and stores null as a value", async () => {
    const app = await createApp(c, "test");
    const ns = "/api/kv/apps/self/self";
    expectOk(await app.http.post(ns, { a: 1, b: { x: [1, 2] } }));
    expectOk(await app.http.post(ns, { c: "three" }));
    expect((await app.http.get(ns)).body).toEqual({ c: "three" });
    expectOk(await app.http.patch(ns, { d: true, c: null }));
    expect((await app.http.get(ns)).body).toEqual({ c: null, d: true });
    expect((await app.http.get(`${ns}/c`)).text).toBe("null");
    expect((await app.http.get(`${ns}/d`)).text).toBe("true");
    expectOk(await app.http.post(ns, {}));
    expect((await app.http.get(ns)).body).toEqual({});
  });

  it("single keys: read, set (POST …/key) and delete; deleting a missing key is 400 not_found", async () => {
    const app = await createApp(c, "test");
    const ns = "/api/kv/apps/self/self";
    expectOk(await app.http.post(`${ns}/str`, "hello"));
    expectOk(await app.http.post(`${ns}/obj`, { nested: [1, { y: null }] }));
    expect((await app.http.get(`${ns}/str`)).text).toBe('"hello"');
    expect((await app.http.get(`${ns}/obj`)).body).toEqual({ nested: [1, { y: null }] });
    expectOk(await app.http.delete(`${ns}/str`));
    expect((await app.http.get(`${ns}/str`)).text).toBe("null");
    expectError(await app.http.delete(`${ns}/str`), 400, "not_found", "The selected resource was not found");
    expect((await app.http.get(ns)).body).toEqual({ obj: { nested: [1, { y: null }] } });
  });

  it("needs a JSON object where one is required", async () => {
    const app = await createApp(c, "test");
    const ns = "/api/kv/apps/self/self";
    expectError(
      await app.http.post(ns, [1, 2]),
      400,
      "json",
      "cannot unmarshal array into Go value of type map[string]interface {}",
    );
    expectError(
      await app.http.patch(ns, "text"),
      400,
      "json",
      "cannot unmarshal string into Go value of type map[string]interface {}",
    );
    const bad = await app.http.req("PATCH", ns, {
      raw: "{",
      headers: { "content-type": "application/json" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      error: expect.any(String),
      error_description: expect.any(String),
      id: expect.any(String),
    });
  });

  it("disappears with the app", async () => {
    const app = await createApp(c, "test");
    expectOk(await app.http.post("/api/kv/apps/self/self", { gone: 1 }));
    expectOk(await c.plugin.delete(`/api/apps/${app.id}`));
    expect((await c.plugin.get(`/api/kv/apps/${app.id}/${app.id}`)).body).toEqual({});
  });
});

describe("who may use which store", () => {
  it("an app gets 403 on other apps' namespaces and on users/objects", async () => {
    const a = await createApp(c, "test", { scope: "*" });
    const b = await createApp(c, "test");
    for (const path of [
      `/api/kv/apps/${b.id}/self`,
      `/api/kv/apps/self/${b.id}`,
      `/api/kv/apps/${b.id}/${b.id}`,
      "/api/kv/apps/self/other",
      `/api/kv/apps/${a.id}/settings`,
    ]) {
      expectError(await a.http.get(path), 403, "access_denied", OTHER_APPS);
      expectError(await a.http.patch(path, { x: 1 }), 403, "access_denied", OTHER_APPS);
    }
    const obj = await createObject(a.http, { name: "o" });
    for (const path of ["/api/kv/users/test/ns", `/api/kv/objects/${obj.id}/ns`]) {
      expectError(await a.http.get(path), 403, "access_denied", PLUGINS_ONLY);
      expectError(await a.http.post(path, { x: 1 }), 403, "access_denied", PLUGINS_ONLY);
      expectError(await a.http.patch(path, { x: 1 }), 403, "access_denied", PLUGINS_ONLY);
      expectError(await a.http.get(`${path}/k`), 403, "access_denied", PLUGINS_ONLY);
      expectError(await a.http.post(`${path}/k`, 1), 403, "access_denied", PLUGINS_ONLY);
      expectError(await a.http.delete(`${path}/k`), 403, "access_denied", PLUGINS_ONLY);
    }
    // A namespace has no DELETE (section 9): an unknown method is an unknown route.
    expectError(
      await a.http.delete("/api/kv/apps/self/self"),
      404,
      "not_found",
      "The given endpoint is not available",
    );
  });

  it("users and public are refused with 403", async () => {
    const app = await createApp(c, "test");
    for (const http of [user, c.anon, c.as("test"), c.as("public")]) {
      for (const path of [
        "/api/kv/users/test/ns",
        `/api/kv/apps/${app.id}/${app.id}`,
        "/api/kv/apps/self/self",
      ]) {
        expectError(await http.get(path), 403, "access_denied", PLUGINS_ONLY);
        expectError(await http.patch(path, { x: 1 }), 403, "access_denied", PLUGINS_ONLY);
        expectError(await http.get(`${path}/k`), 403, "access_denied", PLUGINS_ONLY);
      }
    }
  });

  it("the plugin key reaches every store, id and namespace", async () => {
    const obj = await createObject(c.app, { name: "o" });
    for (const base of ["/api/kv/users/test", `/api/kv/objects/${obj.id}`, `/api/kv/apps/${c.appId}`]) {
      expectOk(await c.plugin.post(`${base}/anyns`, { k: [1] }));
      expect((await c.plugin.get(`${base}/anyns`)).body).toEqual({ k: [1] });
      expect((await c.plugin.get(`${base}/anyns/k`)).body).toEqual([1]);
      expectOk(await c.plugin.delete(`${base}/anyns/k`));
      expect((await c.plugin.get(`${base}/anyns`)).body).toEqual({});
    }
    // Namespaces are separate.
    expectOk(await c.plugin.post("/api/kv/users/test/one", { a: 1 }));
    expect((await c.plugin.get("/api/kv/users/test/two")).body).toEqual({});
  });

  it("an unknown store is an unknown route", async () => {
    expectError(
      await c.plugin.get("/api/kv/things/x/y"),
      404,
      "not_found",
      "The given endpoint is not available",
    );
  });
});
