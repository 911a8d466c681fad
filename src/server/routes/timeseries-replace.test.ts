/**
 * Extensions of the point editor and the object list, against the real server over HTTP:
 * `POST …/timeseries/replace` (remove + insert in one transaction) and `?modified_time=true`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, type Clients, clientsFor, createObject, expectError, type Http } from "../test-http.js";
import { TestSocket } from "../test-ws.js";
import { startTestServer, type TestServer } from "../testing.js";

let server: TestServer;
let c: Clients;

beforeAll(async () => {
  server = await startTestServer();
  c = await clientsFor(server);
});
afterAll(() => server.close());

interface DP {
  t: number;
  d: unknown;
  dt?: number;
}

async function series(fields: Record<string, unknown> = {}, http: Http = c.app): Promise<string> {
  return (await createObject(http, { name: "ts", ...fields })).id as string;
}

const path = (id: string, rest = "") => `/api/objects/${id}/timeseries${rest}`;

async function read(id: string): Promise<DP[]> {
  const res = await c.app.get(path(id));
  expect(res.status, res.text).toBe(200);
  return res.body as DP[];
}

describe("POST …/timeseries/replace (extension timeseries.replace)", () => {
  it("moves a point to a new time with a new duration and value in one request", async () => {
    const id = await series();
    await c.app.post(path(id), [
      { t: 10, d: 1 },
      { t: 20, d: 2 },
      { t: 30, d: 3 },
    ]);
    const res = await c.app.post(path(id, "/replace?t=20"), [{ t: 25, dt: 2, d: 22 }]);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ result: "ok", removed: 1, written: 1 });
    expect(await read(id)).toEqual([
      { t: 10, d: 1 },
      { t: 25, dt: 2, d: 22 },
      { t: 30, d: 3 },
    ]);
    expect((await c.app.get(path(id, "/length"))).body).toBe(3);
  });

  it("works under the /data alias and with an index selection", async () => {
    const id = await series();
    await c.app.post(path(id), [
      { t: 1, d: "a" },
      { t: 2, d: "b" },
    ]);
    const res = await c.app.post(`/api/objects/${id}/data/replace?i=-1`, [{ t: 5, d: "c" }]);
    expect(res.body).toEqual({ result: "ok", removed: 1, written: 1 });
    expect((await read(id)).map((p) => p.d)).toEqual(["a", "c"]);
  });

  it("changes nothing when the new point fails the schema", async () => {
    const id = await series({ meta: { schema: { type: "number" } } });
    await c.app.post(path(id), [{ t: 10, d: 1 }]);
    const res = await c.app.post(path(id, "/replace?t=10"), [{ t: 11, d: "text" }]);
    expectError(res, 400, "bad_query", "The data failed schema validation");
    expect(await read(id)).toEqual([{ t: 10, d: 1 }]);
  });

  it("rolls the remove back when the insert conflicts (method=insert)", async () => {
    const id = await series();
    await c.app.post(path(id), [
      { t: 10, d: 1 },
      { t: 20, d: 2 },
    ]);
    // The new point lands on the stored one at t=20: insert refuses, so t=10 must still be there.
    const res = await c.app.post(path(id, "/replace?t=10&method=insert"), [{ t: 20, d: 9 }]);
    expectError(res, 400, "bad_query", "conflict with existing datapoint");
    expect(await read(id)).toEqual([
      { t: 10, d: 1 },
      { t: 20, d: 2 },
    ]);
  });

  it("needs a selection and write access, as DELETE does", async () => {
    const id = await series();
    expectError(
      await c.app.post(path(id, "/replace"), [{ t: 1, d: 1 }]),
      400,
      "bad_query",
      "no index or time range specified",
    );
    const res = await c.anon.post(path(id, "/replace?t=1"), [{ t: 1, d: 1 }]);
    expect(res.status).toBe(403);
  });

  it("an empty body is a delete and leaves last_modified alone", async () => {
    const id = await series();
    await c.app.post(path(id), [{ t: 10, d: 1 }]);
    const before = (await c.app.get(`/api/objects/${id}?modified_time=true`)).body as {
      modified_time: number;
    };
    const res = await c.app.post(path(id, "/replace?t=10"), []);
    expect(res.body).toEqual({ result: "ok", removed: 1, written: 0 });
    const after = (await c.app.get(`/api/objects/${id}?modified_time=true`)).body as {
      modified_time: number;
    };
    expect(after.modified_time).toBe(before.modified_time);
    expect(await read(id)).toEqual([]);
  });
});

describe("replace on the events socket and under concurrent writers", () => {
  it("tells the removal, then the write, after the commit; a refused replace tells nothing", async () => {
    const id = (await createObject(c.app, { name: "ts", tags: "edit" })).id as string;
    await c.app.post(path(id), [
      { t: 10, d: 1 },
      { t: 20, d: 2 },
    ]);
    const s = await TestSocket.open(server.url, bearer(server.token));
    try {
      s.send({ cmd: "subscribe", event: "*", object: id });
      await s.sync();
      expect((await c.app.post(path(id, "/replace?t=10"), [{ t: 15, dt: 2, d: 9 }])).status).toBe(200);
      // A conflict rolls back: no event may claim a change that did not happen.
      const refused = await c.app.post(path(id, "/replace?t=15&method=insert"), [{ t: 20, d: 0 }]);
      expect(refused.status).toBe(400);
      // Nothing matched the selection: only the write is told.
      expect((await c.app.post(path(id, "/replace?t=99"), [{ t: 30, d: 3 }])).status).toBe(200);
      // Only a removal: only the delete is told.
      expect((await c.app.post(path(id, "/replace?t=30"), [])).status).toBe(200);
      await s.until(() => s.events().length >= 4);
      await s.sync();
      const base = { user: "test", app: c.appId, object: id, type: "timeseries", tags: "edit" };
      expect(s.events()).toEqual([
        { event: "timeseries_data_delete", ...base, data: { t1: 10, t2: 10 } },
        { event: "timeseries_data_write", ...base, data: { t1: 15, t2: 17, count: 1 } },
        { event: "timeseries_data_write", ...base, data: { t1: 30, t2: 30, count: 1 } },
        { event: "timeseries_data_delete", ...base, data: { t1: 30, t2: 30 } },
      ]);
    } finally {
      s.close();
    }
  });

  it("keeps the series whole when many replaces and appends of one series race", async () => {
    const id = await series();
    const n = 40;
    await c.app.post(
      path(id),
      Array.from({ length: n }, (_, i) => ({ t: i, d: i })),
    );
    // Every point moves by 1000 s, each in its own request, while appends land past the end.
    const moves = Array.from({ length: n }, (_, i) =>
      c.app.post(path(id, `/replace?t=${i}`), [{ t: 1000 + i, d: 100 + i }]),
    );
    const appends = Array.from({ length: 10 }, (_, i) => c.app.post(path(id), [{ t: 5000 + i, d: i }]));
    for (const res of await Promise.all([...moves, ...appends])) expect(res.status, res.text).toBe(200);
    const points = await read(id);
    expect(points.map((p) => p.t)).toEqual([
      ...Array.from({ length: n }, (_, i) => 1000 + i),
      ...Array.from({ length: 10 }, (_, i) => 5000 + i),
    ]);
    expect(points.slice(0, n).map((p) => p.d)).toEqual(Array.from({ length: n }, (_, i) => 100 + i));
    expect((await c.app.get(path(id, "/length"))).body).toBe(n + 10);
  });
});

describe("?modified_time=true (extension objects.modified_time)", () => {
  it("is absent unless asked, null before data, then the instant of the last write", async () => {
    const id = await series();
    const plain = (await c.app.get(`/api/objects/${id}`)).body as Record<string, unknown>;
    expect(plain).not.toHaveProperty("modified_time");
    const fresh = (await c.app.get(`/api/objects/${id}?modified_time=true`)).body as Record<string, unknown>;
    expect(fresh.modified_time).toBeNull();
    const t0 = Date.now() / 1000;
    await c.app.post(path(id), [{ t: 1, d: 1 }]);
    const t1 = Date.now() / 1000;
    const listed = (await c.app.get("/api/objects?app=self&modified_time=true")).body as Record<
      string,
      unknown
    >[];
    const mine = listed.find((o) => o.id === id)!;
    expect(mine.modified_time).toBeGreaterThanOrEqual(t0 - 0.001);
    expect(mine.modified_time).toBeLessThanOrEqual(t1 + 0.001);
    expect(mine.last_modified).toBe(new Date(t1 * 1000).toISOString().slice(0, 10));
    const unlisted = (await c.app.get("/api/objects?app=self")).body as Record<string, unknown>[];
    expect(unlisted.every((o) => !("modified_time" in o))).toBe(true);
  });
});
