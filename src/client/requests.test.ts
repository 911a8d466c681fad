/**
 * The requests the client sends, call by call, against contract section 11 ("What the heedy Python
 * client sends"). A recording fetch stands in for the network; the tutorial suite
 * (tutorial.test.ts) replays the same calls against the real server.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { App } from "./app.js";
import { HeedyError } from "./errors.js";
import { ObjectHandle } from "./object-handle.js";
import { isTimeseries } from "./objects.js";
import { heedyObject, type RecordingFetch, recordingFetch } from "./test-fetch.js";
import { Timeseries } from "./timeseries.js";

const BASE = "http://heedy.test/";
const OID = "5d1e9c40-2b7a-4c1e-9f3d-7a0c2e6b8f11";
const TS_PATH = `api/objects/${OID}/timeseries`;

let rec: RecordingFetch;
let app: App;

beforeEach(() => {
  rec = recordingFetch(BASE);
  app = new App("testkey", BASE, { fetch: rec.fetch });
});

async function timeseries(fields: Record<string, unknown> = {}): Promise<Timeseries> {
  rec.reply({ json: heedyObject(fields) });
  const object = await app.objects.get(OID);
  if (!(object instanceof Timeseries)) throw new Error("expected a timeseries");
  rec.requests.length = 0;
  return object;
}

function sent(): { method: string; path: string; search: string; body: unknown } {
  const r = rec.last();
  return { method: r.method, path: r.path, search: r.search, body: r.body };
}

describe("App", () => {
  it("makes no request when constructed and is `self` until read", async () => {
    expect(rec.requests).toHaveLength(0);
    expect(app.id).toBe("self");
    rec.reply({ json: { id: "0b7c", owner: "test", name: "Test App" } });
    const data = await app.read();
    expect(sent()).toEqual({ method: "GET", path: "api/apps/self", search: "", body: undefined });
    expect(data.owner).toBe("test");
    expect(app.id).toBe("0b7c");
  });

  it("reads its token with ?token=true", async () => {
    rec.reply({ json: { id: "0b7c", access_token: "" } });
    await app.read({ token: true });
    expect(sent().search).toBe("token=true");
  });

  it("updates itself with PATCH api/apps/self", async () => {
    await app.update({ description: "x" });
    expect(sent()).toEqual({
      method: "PATCH",
      path: "api/apps/self",
      search: "",
      body: { description: "x" },
    });
  });

  it("regenerates its token like Python's update(access_token=True) and keeps working", async () => {
    rec.reply({ json: { result: "ok", access_token: "newtoken" } });
    const result = await app.update({ access_token: true });
    expect(sent().body).toEqual({ access_token: "generate" });
    expect(result.access_token).toBe("newtoken");
    rec.reply({ json: [] });
    await app.objects();
    expect(rec.last().headers.authorization).toBe("Bearer newtoken");
  });

  it("finds its owner with one app read; the user is read only on demand", async () => {
    rec.reply({ json: { id: "0b7c", owner: "test" } });
    const owner = await app.owner();
    expect(owner.username).toBe("test");
    expect(rec.requests.map((r) => r.path)).toEqual(["api/apps/self"]);

    rec.reply({
      json: { username: "test", name: "", description: "", public_read: false, users_read: false },
    });
    await owner.read();
    expect(sent()).toEqual({ method: "GET", path: "api/users/test", search: "", body: undefined });

    await owner.update({ name: "Myname" });
    expect(sent()).toEqual({ method: "PATCH", path: "api/users/test", search: "", body: { name: "Myname" } });
    expect(owner.data?.name).toBe("Myname");
  });

  it("reads the server version as plain text", async () => {
    rec.reply({ text: "0.6.0\n" });
    expect(await app.version()).toBe("0.6.0");
    expect(sent().path).toBe("api/server/version");
  });
});

describe("objects", () => {
  it("a.objects() lists the app's objects: GET api/objects?app=self", async () => {
    rec.reply({ json: [] });
    expect(await app.objects()).toEqual([]);
    expect(sent()).toEqual({ method: "GET", path: "api/objects", search: "app=self", body: undefined });
  });

  it("filters by tags, key (also the empty key), type, owner and limit", async () => {
    await app.objects({ tags: "x y" }).catch(() => undefined);
    expect(sent().search).toBe("app=self&tags=x+y");
    rec.reply({ json: [] });
    await app.objects({ tags: ["x", "y"] });
    expect(sent().search).toBe("app=self&tags=x+y");
    rec.reply({ json: [] });
    await app.objects({ key: "k" });
    expect(sent().search).toBe("app=self&key=k");
    rec.reply({ json: [] });
    await app.objects({ key: "" });
    expect(sent().search).toBe("app=self&key=");
    rec.reply({ json: [] });
    await app.objects({ type: "timeseries", owner: "self", limit: 5, icon: true });
    expect(sent().search).toBe("app=self&owner=self&type=timeseries&limit=5&icon=true");
  });

  it("listObjects sends exactly the filters given", async () => {
    rec.reply({ json: [] });
    await app.listObjects({ owner: "self" });
    expect(sent().search).toBe("owner=self");
    rec.reply({ json: [] });
    await app.listObjects();
    expect(sent().search).toBe("");
  });

  it("returns a Timeseries for timeseries objects and a plain handle for others", async () => {
    rec.reply({ json: [heedyObject(), heedyObject({ id: "d1", type: "dashboard", meta: {} })] });
    const [ts, dash] = await app.objects();
    expect(ts).toBeInstanceOf(Timeseries);
    expect(isTimeseries(ts!)).toBe(true);
    expect(dash).toBeInstanceOf(ObjectHandle);
    expect(dash).not.toBeInstanceOf(Timeseries);
  });

  it("a.objects.create sends Python's body and answers a handle", async () => {
    rec.reply({ json: heedyObject({ key: "k" }) });
    const ts = await app.objects.create("My Timeseries", { tags: "mytimeseries", key: "k" });
    expect(sent()).toEqual({
      method: "POST",
      path: "api/objects",
      search: "",
      body: {
        app: "self",
        name: "My Timeseries",
        type: "timeseries",
        meta: {},
        tags: "mytimeseries",
        key: "k",
      },
    });
    expect(ts).toBeInstanceOf(Timeseries);
    expect(ts.key).toBe("k");
  });

  it("copies meta, description and owner_scope into the create body", async () => {
    rec.reply({ json: heedyObject() });
    await app.objects.create("x", {
      meta: { schema: { type: "number" } },
      description: "d",
      owner_scope: "read",
      key: undefined,
    });
    expect(sent().body).toEqual({
      app: "self",
      name: "x",
      type: "timeseries",
      meta: { schema: { type: "number" } },
      description: "d",
      owner_scope: "read",
    });
  });

  it("creates other types as plain handles", async () => {
    rec.reply({ json: heedyObject({ type: "dashboard", meta: {} }) });
    const dash = await app.objects.create("board", { type: "dashboard" });
    expect((sent().body as { type: string }).type).toBe("dashboard");
    expect(dash).not.toBeInstanceOf(Timeseries);
  });

  it("a.objects.get reads one object: GET api/objects/<id>", async () => {
    rec.reply({ json: heedyObject() });
    const o = await app.objects.get(OID);
    expect(sent()).toEqual({ method: "GET", path: `api/objects/${OID}`, search: "", body: undefined });
    expect(o.id).toBe(OID);
  });

  it("a.objects.timeseries refuses objects of other types", async () => {
    rec.reply({ json: heedyObject({ type: "dashboard" }) });
    await expect(app.objects.timeseries(OID)).rejects.toThrow(TypeError);
  });
});

describe("object handles", () => {
  it("read both object shapes: heedy 0.6 (modified_date) and ours (last_modified)", async () => {
    const heedy = await timeseries({ modified_date: "2024-05-02" });
    expect(heedy.last_modified).toBe("2024-05-02");
    const ours = await timeseries({
      modified_date: undefined,
      last_modified: null,
      meta: { actor: false, schema: {}, subtype: "" },
    });
    expect(ours.last_modified).toBeNull();
    expect(ours.meta.value).toEqual({ actor: false, schema: {}, subtype: "" });
  });

  it("serve cached fields without a request", async () => {
    const ts = await timeseries();
    expect([ts.name, ts.tags, ts.type, ts.access, ts.owner_scope, ts.owner]).toEqual([
      "My Timeseries",
      "mytimeseries",
      "timeseries",
      "*",
      "*",
      "test",
    ]);
    expect(ts.schema).toEqual({});
    expect(JSON.parse(JSON.stringify(ts)).name).toBe("My Timeseries");
    expect(rec.requests).toHaveLength(0);
  });

  it("read() refreshes the cache; icon adds ?icon=true", async () => {
    const ts = await timeseries();
    rec.reply({ json: heedyObject({ name: "Renamed" }) });
    await ts.read({ icon: true });
    expect(sent()).toEqual({
      method: "GET",
      path: `api/objects/${OID}`,
      search: "icon=true",
      body: undefined,
    });
    expect(ts.name).toBe("Renamed");
  });

  it("update() is PATCH api/objects/<id> and merges into the cache on ok", async () => {
    const ts = await timeseries({ key: "old" });
    await ts.update({ owner_scope: "read" });
    expect(sent()).toEqual({
      method: "PATCH",
      path: `api/objects/${OID}`,
      search: "",
      body: { owner_scope: "read" },
    });
    expect(ts.owner_scope).toBe("read");
    await ts.update({ key: "" });
    expect(ts.key).toBeUndefined();
  });

  it("leaves the cache alone when the update fails", async () => {
    const ts = await timeseries();
    rec.reply({ status: 400, json: { error: "nop", error_description: "Nothing to update", id: "r" } });
    await expect(ts.update({ name: "x" })).rejects.toBeInstanceOf(HeedyError);
    expect(ts.name).toBe("My Timeseries");
  });

  it("meta helpers merge key by key: {meta: {...}} and {meta: {key: null}}", async () => {
    const ts = await timeseries({ meta: { actor: false, schema: {}, subtype: "" } });
    await ts.meta.update({ schema: { type: "number" } });
    expect(sent().body).toEqual({ meta: { schema: { type: "number" } } });
    expect(ts.meta.value).toEqual({ actor: false, schema: { type: "number" }, subtype: "" });
    expect(ts.schema).toEqual({ type: "number" });

    await ts.meta.delete("schema");
    expect(sent().body).toEqual({ meta: { schema: null } });
    // The server resets a required key to its default (contract 6.4).
    expect(ts.meta.value).toEqual({ actor: false, schema: {}, subtype: "" });

    await ts.setSchema({ type: "string" });
    expect(sent().body).toEqual({ meta: { schema: { type: "string" } } });
    expect(ts.meta.get("schema")).toEqual({ type: "string" });
  });

  it("delete() is DELETE api/objects/<id>", async () => {
    const ts = await timeseries();
    await ts.delete();
    expect(sent()).toEqual({ method: "DELETE", path: `api/objects/${OID}`, search: "", body: undefined });
  });

  it("compare by id", async () => {
    const a = await timeseries();
    const b = await timeseries();
    expect(a.equals(b)).toBe(true);
  });
});

describe("timeseries", () => {
  it("length() is GET .../timeseries/length", async () => {
    const ts = await timeseries();
    rec.reply({ json: 4 });
    expect(await ts.length()).toBe(4);
    expect(sent()).toEqual({ method: "GET", path: `${TS_PATH}/length`, search: "", body: undefined });
  });

  it("append(v) posts one point at the current time with dt 0 and no query", async () => {
    const ts = await timeseries();
    const before = Date.now() / 1000;
    await ts.append(5);
    const { method, path, search, body } = sent();
    expect([method, path, search]).toEqual(["POST", TS_PATH, ""]);
    const [point] = body as { t: number; d: unknown; dt: number }[];
    expect(point).toEqual({ d: 5, t: expect.any(Number), dt: 0 });
    expect(point!.t).toBeGreaterThanOrEqual(before - 0.001);
    expect(point!.t).toBeLessThanOrEqual(Date.now() / 1000 + 0.001);
    expect(Number.isInteger(point!.t)).toBe(false);
  });

  it("append(v, {duration}) sets dt", async () => {
    const ts = await timeseries();
    await ts.append(5, { duration: 9 });
    expect((sent().body as { dt: number }[])[0]!.dt).toBe(9);
  });

  it("insert(v, {t, dt}) posts [{t, d, dt}]", async () => {
    const ts = await timeseries();
    await ts.insert("x", { t: 1714557600 });
    expect(sent().body).toEqual([{ t: 1714557600, d: "x", dt: 0 }]);
    await ts.insert("y", { t: new Date(1714557601500), dt: 2 });
    expect(sent().body).toEqual([{ t: 1714557601.5, d: "y", dt: 2 }]);
  });

  it("insertArray(points, {method}) sends the points unchanged", async () => {
    const ts = await timeseries();
    const points = [
      { t: 1, d: 1 },
      { t: 2, dt: 1, d: 2 },
    ];
    await ts.insertArray(points, { method: "insert" });
    expect(sent()).toEqual({ method: "POST", path: TS_PATH, search: "method=insert", body: points });
    await ts.insertArray(points);
    expect(sent().search).toBe("");
    await ts.insertArray(points, { validate: false });
    expect(sent().search).toBe("validate=false");
  });

  it.each([
    [[], ""],
    [[-5], "i1=-5"],
    [[1, 3], "i1=1&i2=3"],
    [[undefined, -1], "i2=-1"],
    [[0], "i1=0"],
  ] as const)("slice(%j) maps to Python's ts[start:end] query %j", async (args, search) => {
    const ts = await timeseries();
    rec.reply({ json: [{ t: 1, d: 1 }] });
    const result = await ts.slice(...args);
    expect(sent()).toEqual({ method: "GET", path: TS_PATH, search, body: undefined });
    expect(result.d()).toEqual([1]);
  });

  it("at(i) is Python's ts[i]: ?i=<i> and element 0", async () => {
    const ts = await timeseries();
    rec.reply({ json: [{ t: 7, d: 42 }] });
    expect(await ts.at(-1)).toEqual({ t: 7, d: 42 });
    expect(sent().search).toBe("i=-1");
  });

  it("at(i) throws RangeError when there is no such point (Python: IndexError)", async () => {
    const ts = await timeseries();
    rec.reply({ json: [] });
    await expect(ts.at(0)).rejects.toThrow(RangeError);
  });

  it("query() sends times as Python does", async () => {
    const ts = await timeseries();
    const searches: string[] = [];
    for (const q of [
      { t1: "now-1h" },
      { t1: 1714557600, t2: 1714557601 },
      { t1: 1714557600.123456 },
      { t1: new Date("2024-05-01T10:00:00Z") },
      { t1: "2024-05-01T10:00:00Z" },
      { t: 5 },
      { transform: "sum" },
      { limit: 5 },
      { i1: 2, i2: 4, t1: 1 },
    ]) {
      rec.reply({ json: [] });
      await ts.query(q);
      searches.push(sent().search);
    }
    expect(searches).toEqual([
      "t1=now-1h",
      "t1=1714557600&t2=1714557601",
      "t1=1714557600.123456",
      "t1=1714557600",
      "t1=1714557600",
      "t=5",
      "transform=sum",
      "limit=5",
      "t1=1&i1=2&i2=4",
    ]);
  });

  it("query() wraps the answer in a DatapointArray", async () => {
    const ts = await timeseries();
    rec.reply({
      json: [
        { t: 1, d: 5 },
        { t: 2, d: 6 },
        { t: 3, d: 7 },
      ],
    });
    const data = await ts.query();
    expect(data.sum()).toBe(18);
  });

  it("remove() is DELETE .../timeseries with the selection", async () => {
    const ts = await timeseries();
    const searches: string[] = [];
    for (const sel of [{ t1: "now-1h" }, { i: -1 }, { i1: 0 }, { t: 1714557600.5 }]) {
      await ts.remove(sel);
      expect(rec.last().method).toBe("DELETE");
      expect(rec.last().path).toBe(TS_PATH);
      searches.push(sent().search);
    }
    expect(searches).toEqual(["t1=now-1h", "i=-1", "i1=0", "t=1714557600.5"]);
  });
});

describe("capabilities and plot", () => {
  const points = Array.from({ length: 100 }, (_, i) => ({ t: i, d: i % 7 }));

  it("treat a 404 from a real heedy as no extensions and reduce plots on the client", async () => {
    const ts = await timeseries();
    rec.reply(
      { status: 404, json: { error: "not_found", error_description: "The given endpoint is not available" } },
      { text: "0.6.0" },
      { json: points },
    );
    const plot = await ts.plot({ t1: 0, t2: 100, columns: 10 });
    expect(rec.requests.map((r) => `${r.method} ${r.path}?${r.search}`)).toEqual([
      "GET api/server/capabilities?",
      "GET api/server/version?",
      `GET ${TS_PATH}?t1=0&t2=100`,
    ]);
    expect(plot.count).toBe(100);
    expect(plot.columns).toBe(10);
    expect(plot.raw).toBe(false);
    // M4: at most four points per column.
    expect(plot.data.length).toBeLessThanOrEqual(40);
    expect(plot.data[0]).toEqual({ t: 0, d: 0 });
    expect(plot.data.at(-1)).toEqual({ t: 99, d: 1 });
    expect(await app.capabilities()).toEqual({ server: "heedy", version: "0.6.0", extensions: [] });
  });

  it("use the server's plot read when capabilities list timeseries.plot, asking only once", async () => {
    const ts = await timeseries();
    rec.reply({ json: { server: "heedy-explorer", version: "0.1.0", extensions: ["timeseries.plot"] } });
    const answer = { count: 0, columns: 500, raw: true, data: [] };
    rec.reply({ json: answer });
    expect(await ts.plot({ t1: "now-1h", columns: 500 })).toEqual(answer);
    expect(sent().path).toBe(`${TS_PATH}/plot`);
    expect(sent().search).toBe("t1=now-1h&columns=500");
    rec.reply({ json: answer });
    await ts.plot({ i1: -10 });
    expect(sent().search).toBe("i1=-10");
    expect(rec.requests.filter((r) => r.path === "api/server/capabilities")).toHaveLength(1);
  });

  it("share one capabilities request between callers asking at once; an abort ends only its own wait", async () => {
    rec.reply({ json: { server: "heedy-explorer", version: "0.1.0", extensions: ["timeseries.plot"] } });
    const aborted = new AbortController();
    const first = app.capabilities();
    const second = app.capabilities({ signal: aborted.signal });
    aborted.abort();
    await expect(second).rejects.toBeDefined();
    expect((await first).extensions).toEqual(["timeseries.plot"]);
    expect(await app.capabilities()).toBe(await first);
    expect(rec.requests.filter((r) => r.path === "api/server/capabilities")).toHaveLength(1);
  });

  it("answer from seeded capabilities without a request, normalised like an answer", async () => {
    const ts = await timeseries();
    app.server.seedCapabilities({ version: "0.1.0", extensions: ["timeseries.plot", 7, null] });
    expect(await app.capabilities()).toEqual({
      server: "heedy-explorer",
      version: "0.1.0",
      extensions: ["timeseries.plot"],
    });
    rec.reply({ json: { count: 0, columns: 10, raw: true, data: [] } });
    await ts.plot({ t1: 0, t2: 1, columns: 10 });
    expect(rec.requests.map((r) => r.path)).toEqual([`${TS_PATH}/plot`]);
  });

  it("do not cache a failed capabilities request", async () => {
    rec.reply(new TypeError("fetch failed"));
    await expect(app.capabilities()).rejects.toBeInstanceOf(HeedyError);
    rec.reply({ json: { server: "heedy-explorer", version: "0.1.0", extensions: [] } });
    expect((await app.capabilities()).server).toBe("heedy-explorer");
  });
});

describe("kv", () => {
  it("maps get/set/update/replace/delete onto api/kv/apps/self/self", async () => {
    const calls: string[] = [];
    const note = () => {
      const r = rec.last();
      calls.push(`${r.method} ${r.path} ${JSON.stringify(r.body) ?? ""}`.trim());
    };
    rec.reply({ json: { a: 1 } });
    expect(await app.kv.get()).toEqual({ a: 1 });
    note();
    rec.reply({ json: null });
    expect(await app.kv.get("missing")).toBeNull();
    note();
    await app.kv.set("k", 5);
    note();
    await app.kv.update({ k: 6, j: null });
    note();
    await app.kv.replace({ only: true });
    note();
    await app.kv.delete("k");
    note();
    expect(calls).toEqual([
      "GET api/kv/apps/self/self",
      "GET api/kv/apps/self/self/missing",
      'PATCH api/kv/apps/self/self {"k":5}',
      'PATCH api/kv/apps/self/self {"k":6,"j":null}',
      'POST api/kv/apps/self/self {"only":true}',
      "DELETE api/kv/apps/self/self/k",
    ]);
  });
});

describe("sub-path servers", () => {
  it("keep every request under the mount path", async () => {
    const sub = recordingFetch("https://example.org/heedy/");
    const mounted = new App("t", "https://example.org/heedy", { fetch: sub.fetch });
    sub.reply({ json: [] });
    await mounted.objects();
    expect(sub.last().url).toBe("https://example.org/heedy/api/objects?app=self");
  });
});
