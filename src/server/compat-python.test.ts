/**
 * The requests of contract section 11 exactly as heedy's Python client sends them: every request
 * carries `Content-Type: application/json` and `Authorization: Bearer <token>`, bodiless GETs and
 * DELETEs included (with `Content-Length: 0`), the sync session sends booleans as `True`, the
 * async one as `true`, and floats in Python's repr. Sent with node:http so nothing is adjusted.
 */
import { request } from "node:http";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Clients, clientsFor, createApp } from "./test-http.js";
import { startTestServer, type TestServer } from "./testing.js";

let server: TestServer;
let c: Clients;

beforeAll(async () => {
  server = await startTestServer();
  c = await clientsFor(server);
});
afterAll(() => server.close());

interface PyRes {
  status: number;
  text: string;
  json: unknown;
}

/** One request as python-requests sends it for the heedy client (base URL with trailing "/"). */
function py(token: string, method: string, path: string, body?: unknown): Promise<PyRes> {
  const payload = body === undefined ? "" : JSON.stringify(body);
  const url = new URL(path, `${server.url}/`);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        headers: {
          "Content-Type": "application/json",
          Authorization: `Bearer ${token}`,
          "Content-Length": String(Buffer.byteLength(payload)),
          "User-Agent": "python-requests/2.31.0",
          Accept: "*/*",
          "Accept-Encoding": "gzip, deflate",
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (d: Buffer) => chunks.push(d));
        res.on("end", () => {
          let raw = Buffer.concat(chunks);
          if (res.headers["content-encoding"] === "gzip") raw = gunzipSync(raw);
          const text = raw.toString("utf8");
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, text, json });
        });
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/** The Python client raises HeedyException unless status < 400; it needs a JSON body either way. */
function ok(res: PyRes): unknown {
  expect(res.status, res.text).toBe(200);
  return res.json;
}

const OK = { result: "ok" };

describe("the tutorial and section 11, as the sync Python client sends them", () => {
  let token: string;
  let appId: string;
  let tsId: string;
  const call = (method: string, path: string, body?: unknown) => py(token, method, path, body);

  beforeAll(async () => {
    const app = await createApp(c, "test", { name: "Python App", scope: "*" });
    token = app.token;
    appId = app.id;
  });

  it("App(token) reads api/apps/self for id and owner", async () => {
    expect(ok(await call("GET", "api/apps/self"))).toMatchObject({
      id: appId,
      owner: "test",
      name: "Python App",
    });
  });

  it("a.objects() is [] for a new app", async () => {
    expect(ok(await call("GET", "api/objects?app=self"))).toEqual([]);
  });

  it("a.objects.create(...) with the client's body (meta {}, app self, unknown otype)", async () => {
    const body = {
      app: "self",
      name: "My Timeseries",
      type: "timeseries",
      meta: {},
      tags: "mytimeseries",
      otype: "timeseries",
    };
    const obj = ok(await call("POST", "api/objects", body)) as Record<string, unknown>;
    expect(obj).toEqual({
      id: expect.any(String),
      name: "My Timeseries",
      description: "",
      owner: "test",
      app: appId,
      tags: "mytimeseries",
      type: "timeseries",
      meta: { actor: false, schema: {}, subtype: "" },
      created_date: new Date().toISOString().slice(0, 10),
      last_modified: null,
      owner_scope: "*",
      access: "*",
    });
    tsId = obj.id as string;
    const keyed = ok(
      await call("POST", "api/objects", {
        ...body,
        name: "Keyed",
        tags: "other",
        key: "k",
        description: "d",
      }),
    );
    expect(keyed).toMatchObject({ key: "k", description: "d" });
  });

  it('a.objects(tags=...), a.objects(key=...) and key=""', async () => {
    const byTag = ok(await call("GET", "api/objects?app=self&tags=mytimeseries")) as { id: string }[];
    expect(byTag.map((o) => o.id)).toEqual([tsId]);
    expect(ok(await call("GET", "api/objects?app=self&tags=mytimeseries+other"))).toEqual([]);
    const byKey = ok(await call("GET", "api/objects?app=self&key=k")) as { name: string }[];
    expect(byKey.map((o) => o.name)).toEqual(["Keyed"]);
    const noKey = ok(await call("GET", "api/objects?app=self&key=")) as { id: string }[];
    expect(noKey.map((o) => o.id)).toEqual([tsId]);
  });

  it("a.objects[oid], o.icon (?icon=True) and obj.app", async () => {
    expect(ok(await call("GET", `api/objects/${tsId}`))).toMatchObject({
      id: tsId,
      type: "timeseries",
      app: appId,
    });
    expect(ok(await call("GET", `api/objects/${tsId}?icon=True`))).toMatchObject({ icon: "" });
  });

  it("ts.owner_scope, ts.update(...), ts.key, o.description, o.tags answer exactly result ok", async () => {
    for (const body of [
      { owner_scope: "read" },
      { owner_scope: "read update" },
      { key: "mytimeseries" },
      { description: "x" },
      { tags: "mytimeseries more" },
    ]) {
      const res = await call("PATCH", `api/objects/${tsId}`, body);
      expect(res.text).toBe('{"result":"ok"}');
    }
    const byKey = ok(await call("GET", "api/objects?app=self&key=mytimeseries")) as { id: string }[];
    expect(byKey.map((o) => o.id)).toEqual([tsId]);
    // owner_scope "read update" does not limit the app's own access (decision 3).
    expect(ok(await call("GET", `api/objects/${tsId}`))).toMatchObject({ access: "*" });
  });

  it("ts.meta = {...}, o.meta.schema = ..., del o.meta.schema", async () => {
    expect(ok(await call("PATCH", `api/objects/${tsId}`, { meta: { schema: { type: "number" } } }))).toEqual(
      OK,
    );
    expect(ok(await call("GET", `api/objects/${tsId}`))).toMatchObject({
      meta: { actor: false, schema: { type: "number" }, subtype: "" },
    });
    expect(ok(await call("PATCH", `api/objects/${tsId}`, { meta: { schema: null } }))).toEqual(OK);
    expect(ok(await call("GET", `api/objects/${tsId}`))).toMatchObject({
      meta: { actor: false, schema: {}, subtype: "" },
    });
  });

  it("timeseries: len, append, insert, insert_array and reads", async () => {
    const base = `api/objects/${tsId}/timeseries`;
    const length = await call("GET", `${base}/length`);
    expect({ status: length.status, text: length.text }).toEqual({ status: 200, text: "0" });
    const now = Date.now() / 1000;
    expect(ok(await call("POST", base, [{ d: 5, t: now - 100, dt: 0 }]))).toEqual(OK);
    expect(ok(await call("POST", base, [{ d: 6, t: now - 90, dt: 9 }]))).toEqual(OK);
    expect(ok(await call("POST", base, [{ t: now - 50, d: 7, dt: 0 }]))).toEqual(OK);
    expect(
      ok(
        await call("POST", `${base}?method=insert`, [
          { t: now - 40, d: 8 },
          { t: now - 30, d: 9 },
        ]),
      ),
    ).toEqual(OK);
    expect((await call("GET", `${base}/length`)).text).toBe("5");

    const all = ok(await call("GET", base)) as { t: number; d: number; dt?: number }[];
    expect(all.map((p) => p.d)).toEqual([5, 6, 7, 8, 9]);
    // The Python suite asserts "dt" not in point when it is 0 (12.4).
    expect(all[0]).toEqual({ t: now - 100, d: 5 });
    expect(all[1]).toEqual({ t: now - 90, dt: 9, d: 6 });

    const d = async (q: string) => (ok(await call("GET", `${base}?${q}`)) as { d: number }[]).map((p) => p.d);
    expect(await d("i1=-2")).toEqual([8, 9]);
    expect(await d("i1=1&i2=3")).toEqual([6, 7]);
    expect(await d("i=-1")).toEqual([9]);
    expect(await d("i=0")).toEqual([5]);
    expect(await d("t1=now-1h")).toEqual([5, 6, 7, 8, 9]);
    expect(await d(`t1=${now - 60}&t2=${now - 35}`)).toEqual([7, 8]);
    expect(await d("transform=sum")).toEqual([35]);
    expect(await d("limit=2")).toEqual([5, 6]);
  });

  it("ts.remove(...) sends its arguments unconverted", async () => {
    const base = `api/objects/${tsId}/timeseries`;
    const points = ok(await call("GET", base)) as { t: number }[];
    expect(ok(await call("DELETE", `${base}?i=-1`))).toEqual(OK);
    expect(ok(await call("DELETE", `${base}?t=${points[0]!.t}`))).toEqual(OK);
    expect((await call("GET", `${base}/length`)).text).toBe("3");
    expect(ok(await call("DELETE", `${base}?t1=now-1h`))).toEqual(OK);
    expect((await call("GET", `${base}/length`)).text).toBe("0");
    expect(ok(await call("DELETE", `${base}?i1=0`))).toEqual(OK);
  });

  it("schema validation failure is the tutorial's HeedyError", async () => {
    const base = `api/objects/${tsId}/timeseries`;
    expect(ok(await call("PATCH", `api/objects/${tsId}`, { meta: { schema: { type: "number" } } }))).toEqual(
      OK,
    );
    const res = await call("POST", base, [{ d: "I am a string", t: Date.now() / 1000, dt: 0 }]);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      error: "bad_query",
      error_description: "The data failed schema validation",
    });
    expect(ok(await call("POST", base, [{ d: 3.14, t: Date.now() / 1000, dt: 0 }]))).toEqual(OK);
  });

  it("a.owner, a.owner.name and a.owner.name = ...", async () => {
    const self = ok(await call("GET", "api/apps/self")) as { owner: string };
    expect(ok(await call("GET", `api/users/${self.owner}`))).toEqual({
      username: "test",
      name: "",
      description: "",
      public_read: false,
      users_read: false,
    });
    expect(ok(await call("PATCH", `api/users/${self.owner}`, { name: "Myname" }))).toEqual(OK);
    expect(ok(await call("GET", `api/users/${self.owner}`))).toMatchObject({ name: "Myname" });
  });

  it("a.description, a.settings_schema, a.settings", async () => {
    expect(ok(await call("PATCH", "api/apps/self", { description: "x" }))).toEqual(OK);
    expect(
      ok(await call("PATCH", "api/apps/self", { settings_schema: { n: { type: "number", default: 1 } } })),
    ).toEqual(OK);
    expect(ok(await call("PATCH", "api/apps/self", { settings: { n: 2 } }))).toEqual(OK);
    expect(ok(await call("GET", "api/apps/self"))).toMatchObject({ description: "x", settings: { n: 2 } });
  });

  it("a.kv: read, item get/set/update/delete", async () => {
    expect(ok(await call("GET", "api/kv/apps/self/self"))).toEqual({});
    expect((await call("GET", "api/kv/apps/self/self/k")).text).toBe("null");
    expect(ok(await call("POST", "api/kv/apps/self/self", { k: 1 }))).toEqual(OK);
    expect(ok(await call("POST", "api/kv/apps/self/self", { j: 2 }))).toEqual(OK);
    expect(ok(await call("GET", "api/kv/apps/self/self"))).toEqual({ j: 2 });
    expect(ok(await call("PATCH", "api/kv/apps/self/self", { k: "v" }))).toEqual(OK);
    expect(ok(await call("GET", "api/kv/apps/self/self/k"))).toBe("v");
    expect(ok(await call("DELETE", "api/kv/apps/self/self/k"))).toEqual(OK);
    expect(ok(await call("GET", "api/kv/apps/self/self"))).toEqual({ j: 2 });
  });

  it("o.delete()", async () => {
    expect(ok(await call("DELETE", `api/objects/${tsId}`))).toEqual(OK);
    const gone = await call("GET", `api/objects/${tsId}`);
    expect(gone.status).toBe(403);
    // HeedyException is built from error/error_description; both must be there.
    expect(gone.json).toMatchObject({
      error: "not_found",
      error_description: "The selected resource was not found",
    });
  });

  it('a.access_token (?token=True) answers "" (decision 4: tokens are stored hashed)', async () => {
    expect(ok(await call("GET", "api/apps/self?token=True"))).toMatchObject({ id: appId, access_token: "" });
  });

  it("a.update(access_token=True) regenerates; the client then uses the new token", async () => {
    const res = ok(await call("PATCH", "api/apps/self", { access_token: "generate" })) as Record<
      string,
      string
    >;
    expect(Object.keys(res).sort()).toEqual(["access_token", "result"]);
    const old = await call("GET", "api/apps/self");
    expect(old.status).toBe(401);
    expect(old.json).toEqual({ error: "access_denied", error_description: "access_denied: invalid API key" });
    token = res.access_token!;
    expect(ok(await call("GET", "api/apps/self"))).toMatchObject({ id: appId });
  });
});

describe("the async session's spellings", () => {
  it("sends booleans as true/false and floats JSON-encoded", async () => {
    const app = await createApp(c, "test", { scope: "*" });
    const obj = ok(
      await py(app.token, "POST", "api/objects", {
        app: "self",
        name: "async",
        type: "timeseries",
        meta: {},
      }),
    ) as { id: string };
    expect(ok(await py(app.token, "GET", `api/objects/${obj.id}?icon=true`))).toMatchObject({ icon: "" });
    expect(ok(await py(app.token, "GET", "api/apps/self?token=false"))).not.toHaveProperty("access_token");
    const base = `api/objects/${obj.id}/timeseries`;
    expect(ok(await py(app.token, "POST", base, [{ d: 1, t: 1714557600.65, dt: 0 }]))).toEqual(OK);
    expect(ok(await py(app.token, "GET", `${base}?t1=1714557600.65&t2=1714557601`))).toEqual([
      { t: 1714557600.65, d: 1 },
    ]);
  });
});
