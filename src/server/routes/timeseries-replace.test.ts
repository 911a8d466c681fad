/**
 * Extensions of the point editor and the object list, against the real server over HTTP:
 * `POST …/timeseries/replace` (remove + insert in one transaction) and `?modified_time=true`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Clients, clientsFor, createObject, expectError, type Http } from "../test-http.js";
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
