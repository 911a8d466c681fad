/**
 * /api/objects/{id}/timeseries against the real server over HTTP (contract section 8, decisions 3,
 * 5 and 6). Each contract rule is checked with the contract's own examples and exact error strings.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Clients,
  clientsFor,
  createApp,
  createObject,
  expectError,
  expectOk,
  type Http,
  today,
} from "../test-http.js";
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
  const obj = await createObject(http, { name: "ts", ...fields });
  return obj.id as string;
}

const path = (id: string, rest = "") => `/api/objects/${id}/timeseries${rest}`;

async function read(id: string, query = "", http: Http = c.app): Promise<DP[]> {
  const res = await http.get(path(id, query));
  expect(res.status, res.text).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
  return res.body as DP[];
}

async function ts(id: string, query = ""): Promise<number[]> {
  return (await read(id, query)).map((p) => p.t);
}

async function put(id: string, data: unknown, query = "", http: Http = c.app): Promise<void> {
  expectOk(await http.post(path(id, query), data));
}

const range = (a: number, b: number, f: (t: number) => DP = (t) => ({ t, d: t })) =>
  Array.from({ length: b - a + 1 }, (_, i) => f(a + i));

describe("insert and read basics (8.2, 8.5, 8.7)", () => {
  it("appends, reads back without dt when 0, counts with a bare integer and sets last_modified", async () => {
    const id = await series();
    const before = await c.app.get(`/api/objects/${id}`);
    expect((before.body as { last_modified: unknown }).last_modified).toBeNull();
    await put(id, [{ t: 1714557600.123456, d: 5, dt: 0 }]);
    await put(id, [{ t: 1714557601, d: 6, dt: 9 }]);
    expect(await read(id)).toEqual([
      { t: 1714557600.123456, d: 5 },
      { t: 1714557601, dt: 9, d: 6 },
    ]);
    const res = await c.app.get(path(id));
    expect(res.text).toBe('[{"t":1714557600.123456,"d":5},{"t":1714557601,"dt":9,"d":6}]');
    const len = await c.app.get(path(id, "/length"));
    expect(len.text).toBe("2");
    expect(len.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const after = await c.app.get(`/api/objects/${id}`);
    expect((after.body as { last_modified: unknown }).last_modified).toBe(today());
  });
  it("fills defaults: t missing is 0, d missing or null is null, other keys ignored", async () => {
    const id = await series();
    await put(id, [{ a: "x" }, { t: 1, d: null, dt: null }]);
    expect((await c.app.get(path(id))).text).toBe('[{"t":0,"d":null},{"t":1,"d":null}]');
  });
  it("round-trips object data exactly, including {} and [] (heedy wrote a lone ])", async () => {
    const id = await series();
    const data = [
      { t: 1, d: {} },
      { t: 2, d: [] },
      { t: 3, d: { a: [[], {}], b: { c: null }, é: "ü" } },
      { t: 4, d: "text" },
      { t: 5, d: true },
    ];
    await put(id, data);
    expect(await read(id)).toEqual(data);
    expect((await c.app.get(path(id, "?i=1"))).text).toBe('[{"t":2,"d":[]}]');
  });
  it("answers the /data alias and an empty array insert", async () => {
    const id = await series();
    expectOk(await c.app.post(`/api/objects/${id}/data`, []));
    expectOk(await c.app.post(`/api/objects/${id}/data`, [{ t: 1, d: 1 }]));
    expect((await c.app.get(`/api/objects/${id}/data`)).body).toEqual([{ t: 1, d: 1 }]);
    expect((await c.app.get(`/api/objects/${id}/data/length`)).text).toBe("1");
    expectOk(await c.app.delete(`/api/objects/${id}/data?i1=0`));
    expect((await c.app.get(path(id, "/length"))).text).toBe("0");
  });
  it("keeps the Python client's shape: GET with Content-Type json and an empty body", async () => {
    const id = await series();
    await put(id, [{ t: 1, d: 5 }]);
    const res = await c.app.get(path(id), { headers: { "content-type": "application/json" } });
    expect(res.body).toEqual([{ t: 1, d: 5 }]);
  });
});

describe("insert methods (8.7 step 5, the contract's examples)", () => {
  it("update: stored 1,2,3 + new 3:'x' replaces 3", async () => {
    const id = await series();
    await put(id, range(1, 3));
    await put(id, [{ t: 3, d: "x" }]);
    expect(await read(id)).toEqual([
      { t: 1, d: 1 },
      { t: 2, d: 2 },
      { t: 3, d: "x" },
    ]);
  });
  it("update: [1,2),[2,3),[3,4),[4,5) + 2.5(dt 1), 3.5 gives 1, 2.5, 3.5, 4", async () => {
    const id = await series();
    await put(
      id,
      range(1, 4, (t) => ({ t, d: t, dt: 1 })),
    );
    await put(id, [
      { t: 2.5, d: "a", dt: 1 },
      { t: 3.5, d: "b" },
    ]);
    expect(await ts(id)).toEqual([1, 2.5, 3.5, 4]);
  });
  it("update: 1..12 + 1(dt 5), 10(dt 5) gives 1(dt5), 6, 7, 8, 9, 10(dt5)", async () => {
    const id = await series();
    await put(id, range(1, 12));
    await put(id, [
      { t: 1, d: "a", dt: 5 },
      { t: 10, d: "b", dt: 5 },
    ]);
    expect(await read(id)).toEqual([
      { t: 1, dt: 5, d: "a" },
      { t: 6, d: 6 },
      { t: 7, d: 7 },
      { t: 8, d: 8 },
      { t: 9, d: 9 },
      { t: 10, dt: 5, d: "b" },
    ]);
  });
  it("insert: refuses overlaps, places other points anywhere", async () => {
    const id = await series();
    await put(id, [{ t: 5, d: 5 }], "?method=insert");
    await put(
      id,
      [
        { t: 1, d: 1 },
        { t: 7, d: 7, dt: 2 },
      ],
      "?method=insert",
    );
    expectError(
      await c.app.post(path(id, "?method=insert"), [{ t: 8, d: 0 }]),
      400,
      "bad_query",
      "conflict with existing datapoint",
    );
    expect(await ts(id)).toEqual([1, 5, 7]);
  });
  it("append: only after the end of the series", async () => {
    const id = await series();
    await put(id, [{ t: 5, d: 5, dt: 2 }], "?method=append");
    for (const t of [4, 5, 6]) {
      expectError(
        await c.app.post(path(id, "?method=append"), [{ t, d: 0 }]),
        400,
        "bad_query",
        "conflict with existing datapoint",
      );
    }
    await put(id, [{ t: 7, d: 7 }], "?method=append");
    expect(await ts(id)).toEqual([5, 7]);
  });
  it("insert and append accept an identical final dt=0 point as a no-op, not earlier copies", async () => {
    const id = await series();
    await put(id, [
      { t: 1, d: { a: 1 } },
      { t: 2, d: { b: [] } },
    ]);
    await put(id, [{ t: 2, d: { b: [] } }], "?method=append");
    await put(id, [{ t: 2, d: { b: [] } }], "?method=insert");
    expectError(
      await c.app.post(path(id, "?method=insert"), [{ t: 1, d: { a: 1 } }]),
      400,
      "bad_query",
      "conflict with existing datapoint",
    );
    expectError(
      await c.app.post(path(id, "?method=append"), [{ t: 2, d: { b: [1] } }]),
      400,
      "bad_query",
      "conflict with existing datapoint",
    );
    expect((await c.app.get(path(id, "/length"))).text).toBe("2");
  });
  it("refuses unknown methods after schema validation passed", async () => {
    const id = await series({ meta: { schema: { type: "number" } } });
    expectError(
      await c.app.post(path(id, "?method=upsert"), [{ t: 1, d: 1 }]),
      400,
      "bad_query",
      "Unrecognized insert method",
    );
    expectError(
      await c.app.post(path(id, "?method=upsert"), [{ t: 1, d: "x" }]),
      400,
      "bad_query",
      "The data failed schema validation",
    );
  });
});

describe("batch rules and atomicity (8.2, 8.7 steps 2-4)", () => {
  it("quotes heedy's errors", async () => {
    const id = await series();
    expectError(await c.app.post(path(id), [{ t: 1, d: 1 }, null]), 400, "bad_request", "null datapoint");
    expectError(
      await c.app.post(path(id), [{ t: 1, d: 1, dt: -1 }]),
      400,
      "bad_query",
      "durations can't be negative",
    );
    const ORDER = "data must be ordered with increasing timestamps, and durations must not intersect";
    expectError(await c.app.post(path(id), [{ t: 2 }, { t: 1 }]), 400, "bad_query", ORDER);
    expectError(await c.app.post(path(id), [{ t: 1 }, { t: 1 }]), 400, "bad_query", ORDER);
    expectError(await c.app.post(path(id), [{ t: 1, dt: 2 }, { t: 2 }]), 400, "bad_query", ORDER);
    const notArray = await c.app.post(path(id), { t: 1 });
    expect(notArray.status).toBe(400);
    expect(notArray.body).toMatchObject({ error: "server_error" });
    expect((notArray.body as { error_description: string }).error_description).toMatch(/^parse error: /);
    const badT = await c.app.post(path(id), [{ t: "yesterday", d: 1 }]);
    expect(badT.status).toBe(400);
    expect((badT.body as { error_description: string }).error_description).toMatch(/^parse error: /);
    expect((await c.app.get(path(id, "/length"))).text).toBe("0");
  });
  it("a batch failing schema validation leaves the series byte-for-byte unchanged", async () => {
    const id = await series({
      meta: { schema: { type: "object", properties: { v: { type: "integer" } }, required: ["v"] } },
    });
    await put(id, [
      { t: 1, d: { v: 1 } },
      { t: 2, d: { v: 3.0 } },
    ]);
    const before = (await c.app.get(path(id))).text;
    const objBefore = (await c.app.get(`/api/objects/${id}`)).text;
    for (const bad of [
      [
        { t: 3, d: { v: 1 } },
        { t: 4, d: { v: 1.5 } },
      ],
      [
        { t: 1, d: { v: 9 } },
        { t: 5, d: {} },
      ],
      [{ t: 6, d: "x" }],
    ]) {
      expectError(await c.app.post(path(id), bad), 400, "bad_query", "The data failed schema validation");
    }
    // A conflict late in a batch must not leave its earlier points behind either.
    expectError(
      await c.app.post(path(id, "?method=insert"), [
        { t: 0.5, d: { v: 0 } },
        { t: 2, d: { v: 2 } },
      ]),
      400,
      "bad_query",
      "conflict with existing datapoint",
    );
    expect((await c.app.get(path(id))).text).toBe(before);
    expect((await c.app.get(`/api/objects/${id}`)).text).toBe(objBefore);
  });
  it("honours validate=false only for the plugin key (decision 3)", async () => {
    const id = await series({ meta: { schema: { type: "number" } } });
    expectError(
      await c.app.post(path(id, "?validate=false"), [{ t: 1, d: "x" }]),
      400,
      "bad_query",
      "The data failed schema validation",
    );
    expectOk(await c.plugin.post(path(id, "?validate=false"), [{ t: 1, d: "x" }]));
    expectError(
      await c.plugin.post(path(id), [{ t: 2, d: "x" }]),
      400,
      "bad_query",
      "The data failed schema validation",
    );
    expect(await read(id)).toEqual([{ t: 1, d: "x" }]);
  });
  it("validates formats (ajv-formats) and integers by value", async () => {
    const id = await series({ meta: { schema: { type: "string", format: "date-time" } } });
    expectOk(await c.app.post(path(id), [{ t: 1, d: "2020-01-01T00:00:00Z" }]));
    expectError(
      await c.app.post(path(id), [{ t: 2, d: "tomorrow" }]),
      400,
      "bad_query",
      "The data failed schema validation",
    );
    const id2 = await series({ meta: { schema: { type: "integer" } } });
    expectOk(await c.app.post(path(id2), [{ t: 1, d: 3.0 }]));
  });
  it("object creation with data inserts it, and a failing insert removes the object again", async () => {
    const obj = await createObject(c.app, {
      name: "with data",
      data: [
        { t: 1, d: 1 },
        { t: 2, d: 2 },
      ],
    });
    expect((await c.app.get(path(obj.id as string, "/length"))).text).toBe("2");
    expect(obj.last_modified).toBe(today());
    const res = await c.app.post("/api/objects", {
      name: "bad data",
      type: "timeseries",
      meta: { schema: { type: "number" } },
      data: [{ t: 1, d: "x" }],
    });
    expectError(res, 400, "bad_query", "The data failed schema validation");
    const list = await c.app.get("/api/objects?app=self");
    expect((list.body as { name: string }[]).some((o) => o.name === "bad data")).toBe(false);
  });
});

describe("reads (8.3)", () => {
  let id: string;
  beforeAll(async () => {
    id = await series();
    await put(
      id,
      range(0, 7, (t) => ({ t: t * 10, d: t })),
    );
  });
  it("applies index semantics: negative, clamped, intersected with time", async () => {
    expect(await ts(id, "?i1=-1&i2=0")).toEqual([]);
    expect(await ts(id, "?i1=-5")).toEqual([30, 40, 50, 60, 70]);
    expect(await ts(id, "?i2=80")).toHaveLength(8);
    expect(await ts(id, "?i1=1&i2=3")).toEqual([10, 20]);
    expect(await ts(id, "?i=-1")).toEqual([70]);
    expect(await ts(id, "?i=0")).toEqual([0]);
    expect(await ts(id, "?i=8")).toEqual([]);
    expect(await ts(id, "?i1=8")).toEqual([]);
    expect(await ts(id, "?i2=-9")).toEqual([]);
    expect(await ts(id, "?i1=-100&i2=2")).toEqual([0, 10]);
    expect(await ts(id, "?i1=2&t2=45")).toEqual([20, 30, 40]);
    expect(await ts(id, "?t1=25&i2=5")).toEqual([30, 40]);
    expect(await ts(id, "?i1=")).toHaveLength(8);
  });
  it("applies time semantics: t1 inclusive, t2 exclusive, t exact, time strings", async () => {
    expect(await ts(id, "?t1=20&t2=40")).toEqual([20, 30]);
    expect(await ts(id, "?t=30")).toEqual([30]);
    expect(await ts(id, "?t=31")).toEqual([]);
    expect(await ts(id, "?t=30&i1=0")).toEqual([30]);
    expect(await ts(id, "?t1=1970-01-01T00:00:40Z")).toEqual([40, 50, 60, 70]);
    expect(await ts(id, "?t1=now-1h")).toEqual([]);
    expect(await ts(id, "?t2=now")).toHaveLength(8);
    expect(await ts(id, "?t1=0x1p4")).toEqual([20, 30, 40, 50, 60, 70]);
  });
  it("applies limit after the transform and ignores limit <= 0", async () => {
    expect(await ts(id, "?limit=3")).toEqual([0, 10, 20]);
    expect(await ts(id, "?limit=0")).toHaveLength(8);
    expect(await ts(id, "?limit=-2")).toHaveLength(8);
    expect(await read(id, "?transform=first&limit=2")).toEqual([
      { t: 0, d: true },
      { t: 10, d: false },
    ]);
  });
  it("quotes heedy's combination errors", async () => {
    const RANGE_T = "Cannot query by range and by single timestamp at the same time";
    const INDEX_T = "cannot query by single index and single timestamp at the same time";
    const RANGE_I = "Cannot query by range and by single index at the same time";
    expectError(await c.app.get(path(id, "?t=1&t1=0")), 400, "bad_query", RANGE_T);
    expectError(await c.app.get(path(id, "?t=1&t2=5")), 400, "bad_query", RANGE_T);
    expectError(await c.app.get(path(id, "?t=1&i=0")), 400, "bad_query", INDEX_T);
    expectError(await c.app.get(path(id, "?t=1&i2=3")), 400, "bad_query", INDEX_T);
    expectError(await c.app.get(path(id, "?t=1&i1=2")), 400, "bad_query", INDEX_T);
    expectError(await c.app.get(path(id, "?t=1&t1=0&i2=3")), 400, "bad_query", INDEX_T);
    expectError(await c.app.get(path(id, "?i=1&i1=0")), 400, "bad_query", RANGE_I);
    expectError(await c.app.get(path(id, "?i=1&t2=3")), 400, "bad_query", RANGE_I);
    expectError(
      await c.app.get(path(id, "?timeseries=x")),
      400,
      "server_error",
      "timeseries arg is set automatically when querying objects",
    );
    expectError(await c.app.get(path(id, "?foo=1")), 400, "schema", 'invalid path "foo"');
    expectError(await c.app.get(path(id, "?i=x")), 400, "schema", 'error converting value for "i"');
  });
  it("reports malformed times first, naming the bad part (8.4, decision 3)", async () => {
    expectError(
      await c.app.get(path(id, "?t1=now-1")),
      400,
      "server_error",
      'missing unit in duration: "-1"',
    );
    expectError(
      await c.app.get(path(id, "?t1=now-1%20h")),
      400,
      "server_error",
      'unknown unit in duration: " h"',
    );
    expectError(
      await c.app.get(path(id, "?t2=now-")),
      400,
      "server_error",
      "cannot parse sign without digits: '-'",
    );
    expectError(
      await c.app.get(path(id, "?t1=now-1.5.5h")),
      400,
      "server_error",
      "invalid floating point number format: two decimal points found",
    );
    expectError(
      await c.app.get(path(id, "?t1=foo&t=1")),
      400,
      "server_error",
      'parsing time "foo" as "2006-01-02T15:04:05Z07:00": cannot parse "foo" as "2006"',
    );
    expectError(await c.app.get(path(id, "?t=now-2")), 400, "server_error", 'missing unit in duration: "-2"');
    // A raw "+" decodes to a space (8.4); %2B is the plus sign.
    expectError(
      await c.app.get(path(id, "?t1=now+1h")),
      400,
      "server_error",
      'unknown unit in duration: " "',
    );
    expect(await ts(id, "?t1=now%2B1h")).toEqual([]);
    expect(await ts(id, "?t1=now-100y")).toHaveLength(8);
  });
  it("never returns points at or past t2 across chunk boundaries (heedy's t2 truncation bug)", async () => {
    const big = await series();
    await put(
      big,
      range(0, 9999, (t) => ({ t, d: t % 17 })),
    );
    for (const t2 of [1, 4095, 4096, 4097, 5000, 9999]) {
      const got = await ts(big, `?t1=0&t2=${t2}`);
      expect(got).toHaveLength(t2);
      expect(got[got.length - 1]).toBe(t2 - 1);
    }
    expect(await ts(big, "?t1=4090.5&t2=4100")).toEqual([
      4091, 4092, 4093, 4094, 4095, 4096, 4097, 4098, 4099,
    ]);
    expect(await ts(big, "?i1=4094&i2=4098")).toEqual([4094, 4095, 4096, 4097]);
  });
  it("streams large reads as valid JSON", async () => {
    const big = await series();
    const n = 60_000;
    for (let a = 0; a < n; a += 20_000) {
      await put(
        big,
        range(a, a + 19_999, (t) => ({ t: 1.7e9 + t * 0.5, d: { v: t } })),
      );
    }
    const all = await read(big);
    expect(all).toHaveLength(n);
    expect(all[n - 1]).toEqual({ t: 1.7e9 + (n - 1) * 0.5, d: { v: n - 1 } });
    expect(await read(big, "?transform=count")).toEqual([{ t: 1.7e9, dt: (n - 1) * 0.5, d: n }]);
  });
});

describe("transforms (8.6, decision 5)", () => {
  it("sums 5, 6, 7 to 18 with dt 0, and answers each supported transform", async () => {
    const id = await series();
    await put(id, [
      { t: 1, d: 5 },
      { t: 2, d: 6 },
      { t: 3, d: 7, dt: 1 },
    ]);
    expect(await read(id, "?transform=sum")).toEqual([{ t: 1, d: 18 }]);
    expect(await read(id, "?transform=count")).toEqual([{ t: 1, dt: 3, d: 3 }]);
    // Counted from chunk summaries: selections, limits and empty ranges as the transform gives.
    expect(await read(id, "?transform=count&i1=1&limit=1")).toEqual([{ t: 2, dt: 2, d: 2 }]);
    expect(await read(id, "?transform=count&t1=10")).toEqual([{ t: 0, d: 0 }]);
    expect(await read(id, "?transform=mean")).toEqual([{ t: 1, dt: 3, d: 6 }]);
    expect(await read(id, "?transform=min")).toEqual([{ t: 1, d: 5 }]);
    expect(await read(id, "?transform=max")).toEqual([{ t: 3, dt: 1, d: 7 }]);
    expect((await read(id, "?transform=last")).map((p) => p.d)).toEqual([false, false, true]);
    expect(await read(id, "?transform=d")).toHaveLength(3);
    expect(await read(id, "?transform=")).toHaveLength(3);
    expect(await read(id, "?transform=sum&t1=10")).toEqual([{ t: 0, d: 0 }]);
    expect(await read(id, "?transform=mean&t1=10")).toEqual([]);
  });
  it("refuses other transforms with a 400 that names them, and fails bad data with 500", async () => {
    const id = await series();
    await put(id, [{ t: 1, d: "a" }]);
    expectError(
      await c.app.get(path(id, "?transform=d%20%3E%205")),
      400,
      "bad_query",
      'unsupported transform "d > 5"',
    );
    const res = await c.app.get(path(id, "?transform=sum"));
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ error: "server_error" });
  });
});

describe("delete (8.8)", () => {
  it("removes by time range, index, single time and i1=0", async () => {
    const id = await series();
    await put(id, range(0, 9));
    expectOk(await c.app.delete(path(id, "?t1=2&t2=5")));
    expectOk(await c.app.delete(path(id, "?i=-1")));
    expectOk(await c.app.delete(path(id, "?t=0")));
    expectOk(await c.app.delete(path(id, "?t=100")));
    expect(await ts(id)).toEqual([1, 5, 6, 7, 8]);
    const objBefore = (await c.app.get(`/api/objects/${id}`)).body as { last_modified: string };
    expectOk(await c.app.delete(path(id, "?i1=0")));
    expect((await c.app.get(path(id, "/length"))).text).toBe("0");
    expect(((await c.app.get(`/api/objects/${id}`)).body as { last_modified: string }).last_modified).toBe(
      objBefore.last_modified,
    );
  });
  it("quotes heedy's errors in heedy's order", async () => {
    const id = await series();
    expectError(await c.app.delete(path(id)), 400, "bad_query", "no index or time range specified");
    expectError(
      await c.app.delete(path(id, "?transform=sum")),
      400,
      "bad_query",
      "no index or time range specified",
    );
    expectError(
      await c.app.delete(path(id, "?i1=0&transform=sum")),
      400,
      "bad_query",
      "transforms and limits are not supported for delete",
    );
    expectError(
      await c.app.delete(path(id, "?t1=0&limit=5")),
      400,
      "bad_query",
      "transforms and limits are not supported for delete",
    );
    expectError(
      await c.app.delete(path(id, "?t=1&t1=foo")),
      400,
      "server_error",
      'parsing time "foo" as "2006-01-02T15:04:05Z07:00": cannot parse "foo" as "2006"',
    );
    expectError(
      await c.app.delete(path(id, "?t=1&i1=0")),
      400,
      "bad_query",
      "cannot delete by single timestamp with additional range/index",
    );
    expectError(
      await c.app.delete(path(id, "?t=1&t2=3")),
      400,
      "bad_query",
      "cannot delete by single timestamp with additional range/index",
    );
    expectError(
      await c.app.delete(path(id, "?i=1&i2=3")),
      400,
      "bad_query",
      "cannot delete by single index with additional range",
    );
  });
});

describe("access (6.3, 7.5)", () => {
  it("answers 403 not_found for unknown objects and 403 Insufficient permissions without write", async () => {
    expectError(await c.app.get(path("no-such-id")), 403, "not_found", "The selected resource was not found");
    expectError(
      await c.app.get(path("no-such-id", "/length")),
      403,
      "not_found",
      "The selected resource was not found",
    );
    const reader = await createApp(c, "test", { scope: "self.objects:read self.objects:create" });
    const id = await series({}, reader.http);
    expect((await reader.http.get(path(id))).body).toEqual([]);
    expectError(
      await reader.http.post(path(id), [{ t: 1, d: 1 }]),
      403,
      "access_denied",
      "Insufficient permissions",
    );
    expectError(
      await reader.http.delete(path(id, "?i1=0")),
      403,
      "access_denied",
      "Insufficient permissions",
    );
    expectError(await c.anon.get(path(id)), 403, "not_found", "The selected resource was not found");
  });
});

describe("broken meta (8.1)", () => {
  it("answers 500 internal_plugin_error when meta.schema is not an object", async () => {
    const id = await series();
    // The API refuses such a schema; heedy data folders can still hold one, so write it directly.
    await server.ctx.store.objects.update(id, { meta: { actor: false, schema: true, subtype: "" } });
    for (const res of [
      await c.app.get(path(id)),
      await c.app.post(path(id), [{ t: 1, d: 1 }]),
      await c.app.get(path(id, "/length")),
    ]) {
      expectError(res, 500, "internal_plugin_error", "Timeseries schema invalid");
    }
  });
});

describe("plot extension (decision 6)", () => {
  it("is listed in capabilities", async () => {
    const res = await c.app.get("/api/server/capabilities");
    expect((res.body as { extensions: string[] }).extensions).toContain("timeseries.plot");
  });
  it("reduces a dense numeric range with M4 and keeps its extremes", async () => {
    const id = await series();
    const data = range(0, 19_999, (t) => ({ t, d: Math.round(Math.sin(t / 100) * 1000) / 100 }));
    data[12_345] = { t: 12_345, d: 500 };
    await put(id, data);
    const res = await c.app.get(path(id, "/plot?columns=100"));
    expect(res.status, res.text).toBe(200);
    const plot = res.body as { count: number; columns: number; raw: boolean; data: DP[] };
    expect(plot).toMatchObject({ count: 20_000, columns: 100, raw: false });
    expect(plot.data.length).toBeLessThanOrEqual(400);
    expect(plot.data.some((p) => p.d === 500)).toBe(true);
    expect(plot.data[0]).toEqual(data[0]);
    expect(plot.data[plot.data.length - 1]).toEqual(data[19_999]);
    const slice = (await c.app.get(path(id, "/plot?t1=100&t2=110&columns=100"))).body;
    expect(slice).toEqual({ count: 10, columns: 100, raw: true, data: data.slice(100, 110) });
  });
  it("returns non-numeric series raw and checks its parameters", async () => {
    const id = await series();
    await put(id, [
      { t: 1, d: "a" },
      { t: 2, d: { x: 1 } },
    ]);
    expect((await c.app.get(path(id, "/plot"))).body).toEqual({
      count: 2,
      columns: 1000,
      raw: true,
      data: [
        { t: 1, d: "a" },
        { t: 2, d: { x: 1 } },
      ],
    });
    expectError(
      await c.app.get(path(id, "/plot?columns=0")),
      400,
      "bad_query",
      "columns must be between 1 and 20000",
    );
    expectError(await c.app.get(path(id, "/plot?t=1")), 400, "schema", 'invalid path "t"');
  });
});

// ---- property test over HTTP: random batches (valid or not) and deletes against a plain model ----

interface ModelPoint {
  t: number;
  dt: number;
  d: unknown;
}

const overlapsModel = (p: ModelPoint, q: ModelPoint) =>
  p.t === q.t || (q.t <= p.t && p.t < q.t + q.dt) || (p.t <= q.t && q.t < p.t + p.dt);

/** The contract's insert rules (8.7 steps 4-5), written directly; returns the error or the new series. */
function modelInsert(stored: ModelPoint[], batch: ModelPoint[], method: string): ModelPoint[] | string {
  for (let i = 0; i < batch.length; i++) {
    const p = batch[i]!;
    if (p.dt < 0) return "durations can't be negative";
    const prev = batch[i - 1];
    if (prev && (p.t <= prev.t || p.t < prev.t + prev.dt)) {
      return "data must be ordered with increasing timestamps, and durations must not intersect";
    }
  }
  const last = stored[stored.length - 1];
  if (method === "update") {
    const kept = stored.filter((q) => !batch.some((p) => overlapsModel(p, q)));
    return [...kept, ...batch].sort((a, b) => a.t - b.t);
  }
  const fresh = batch.filter(
    (p) =>
      !(
        last &&
        p.t === last.t &&
        p.dt === 0 &&
        last.dt === 0 &&
        JSON.stringify(p.d) === JSON.stringify(last.d)
      ),
  );
  for (const p of fresh) {
    if (method === "insert" && stored.some((q) => overlapsModel(p, q)))
      return "conflict with existing datapoint";
    if (method === "append" && last && !(p.t > last.t && p.t >= last.t + last.dt)) {
      return "conflict with existing datapoint";
    }
  }
  return [...stored, ...fresh].sort((a, b) => a.t - b.t);
}

describe("HTTP against a reference model (fast-check)", () => {
  it("agrees on random insert/delete sequences, including rejected batches", async () => {
    const point = fc.record({
      t: fc.integer({ min: 0, max: 30 }),
      dt: fc.constantFrom(0, 0, 0, 1, 3),
      d: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom("x", {}, [])),
    });
    const op = fc.oneof(
      {
        weight: 3,
        arbitrary: fc.record({
          kind: fc.constant("post" as const),
          // Sorted most of the time, so that most batches are valid.
          batch: fc
            .tuple(fc.array(point, { maxLength: 5 }), fc.boolean())
            .map(([pts, sort]) => (sort ? [...pts].sort((a, b) => a.t - b.t) : pts)),
          method: fc.constantFrom("update", "insert", "append"),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant("delete" as const),
          t1: fc.integer({ min: 0, max: 30 }),
          t2: fc.integer({ min: 0, max: 31 }),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant("delete-index" as const),
          i: fc.integer({ min: -6, max: 6 }),
        }),
      },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 8 }), async (ops) => {
        const id = await series();
        let model: ModelPoint[] = [];
        for (const o of ops) {
          if (o.kind === "post") {
            const want = modelInsert(model, o.batch, o.method);
            const res = await c.app.post(path(id, `?method=${o.method}`), o.batch);
            if (typeof want === "string") {
              expectError(res, 400, "bad_query", want);
            } else {
              expectOk(res);
              model = want;
            }
          } else if (o.kind === "delete") {
            expectOk(await c.app.delete(path(id, `?t1=${o.t1}&t2=${o.t2}`)));
            model = model.filter((p) => !(p.t >= o.t1 && p.t < o.t2));
          } else {
            expectOk(await c.app.delete(path(id, `?i=${o.i}`)));
            const k = o.i < 0 ? model.length + o.i : o.i;
            if (k >= 0 && k < model.length) model = model.filter((_, j) => j !== k);
          }
        }
        const expected = model.map((p) => (p.dt === 0 ? { t: p.t, d: p.d } : { t: p.t, dt: p.dt, d: p.d }));
        expect(await read(id)).toEqual(expected);
        expect((await c.app.get(path(id, "/length"))).text).toBe(String(model.length));
      }),
      { numRuns: 40 },
    );
  });
});

describe("aggregate extension (decision 6)", () => {
  it("is listed in capabilities", async () => {
    const res = await c.app.get("/api/server/capabilities");
    expect((res.body as { extensions: string[] }).extensions).toContain("timeseries.aggregate");
  });

  it("gives per-window means equal to heedy's transform=mean over the same windows", async () => {
    const id = await series();
    await put(
      id,
      range(0, 9_999, (t) => ({ t, d: Math.round(Math.cos(t / 37) * 1000) / 10 })),
    );
    const res = await c.app.get(path(id, "/plot?t1=500&t2=9500&aggregate=1000&origin=0"));
    expect(res.status, res.text).toBe(200);
    const agg = res.body as {
      count: number;
      window: number;
      data: { t: number; d: { n: number; sum: number } }[];
    };
    expect(agg.count).toBe(9000);
    expect(agg.window).toBe(1000);
    expect(agg.data.map((p) => p.t)).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000]);
    for (const w of agg.data) {
      const t1 = Math.max(500, w.t);
      const t2 = Math.min(9500, w.t + 1000);
      const mean = await c.app.get(path(id, `?t1=${t1}&t2=${t2}&transform=mean`));
      const want = (mean.body as DP[])[0]!.d as number;
      expect(w.d.sum / w.d.n).toBeCloseTo(want, 9);
    }
  });

  it("refuses a bad window with heedy's error shape", async () => {
    const id = await series();
    expectError(
      await c.app.get(path(id, "/plot?aggregate=0")),
      400,
      "bad_query",
      "aggregate must be a window length in seconds above 0",
    );
    expectError(
      await c.app.get(path(id, "/plot?aggregate=x")),
      400,
      "bad_query",
      "aggregate must be a number",
    );
    expectError(
      await c.app.get(path(id, "/plot?t1=0&t2=1000000&aggregate=1")),
      400,
      "bad_query",
      "aggregate windows must number at most 20000; use a longer window",
    );
  });
});

describe("plot extras (decision 6)", () => {
  it("answers per-column counts and the range's summary when asked", async () => {
    const id = await series();
    await put(
      id,
      range(0, 9_999, (t) => ({ t, d: t % 100 })),
    );
    const res = await c.app.get(path(id, "/plot?t1=0&t2=10000&columns=10&counts=true&summary=true"));
    expect(res.status, res.text).toBe(200);
    const plot = res.body as {
      counts: number[];
      span: number[];
      summary: { n: number; sum: number; min: number; max: number; first: number; last: number };
    };
    expect(plot.counts).toEqual(Array(10).fill(1000));
    expect(plot.span).toEqual([0, 10000]);
    expect(plot.summary).toMatchObject({ n: 10_000, sum: 495_000, min: 0, max: 99, first: 0, last: 99 });
    const plain = await c.app.get(path(id, "/plot?t1=0&t2=10000&columns=10"));
    expect(Object.keys(plain.body as object).sort()).toEqual(["columns", "count", "data", "raw"]);
  });
});
