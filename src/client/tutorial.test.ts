/**
 * heedy's Python tutorial (/work/shared/tutorial.txt) replayed in TypeScript against the real server,
 * started in-process on a temporary data folder and an ephemeral port (src/server/testing.ts). Then
 * the tutorial block of the top-level README.md is executed as written, and the client's other reads and
 * writes are checked against the same server. Nothing here is mocked.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../server/testing.js";
import {
  App,
  DatapointArray,
  errorKind,
  HeedyError,
  HeedyNetworkError,
  HeedyResponseError,
  type ObjectHandle,
  Plugin,
  Timeseries,
} from "./index.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function todayUTC(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Logs in as the fixture user and creates an app with the given scope, returning its token. */
async function createAppToken(server: TestServer, name: string, scope: string): Promise<string> {
  const login = await fetch(`${server.url}/auth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: "grant_type=password&username=test&password=test",
  });
  expect(login.status).toBe(200);
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
  const created = await fetch(`${server.url}/api/apps?token=true`, {
    method: "POST",
    // A cookie write must come from the server's own origin, as the browser would send it.
    headers: { "Content-Type": "application/json", Cookie: cookie, Origin: server.url },
    body: JSON.stringify({ name, scope }),
  });
  const body = (await created.json()) as { access_token?: string };
  expect(created.status).toBe(200);
  expect(typeof body.access_token).toBe("string");
  return body.access_token!;
}

function ids(objects: ObjectHandle[]): string[] {
  return objects.map((o) => o.id);
}

describe("tutorial.txt, step by step", () => {
  let server: TestServer;
  let h: App;
  let ts: Timeseries;

  beforeAll(async () => {
    server = await startTestServer();
    // h = heedy.App("your_access_token", "https://heedy.mydomain.com")
    h = new App(server.token, server.url);
  });
  afterAll(async () => {
    await server?.close();
  });

  it("h.objects() → [] (the app has no objects yet)", async () => {
    expect(await h.objects()).toEqual([]);
  });

  it('ts = h.objects.create("My Timeseries", tags="mytimeseries") → the object as printed', async () => {
    const created = await h.objects.create("My Timeseries", { tags: "mytimeseries" });
    expect(created).toBeInstanceOf(Timeseries);
    ts = created;
    const appId = (await h.read()).id;
    expect(ts.data).toEqual({
      access: "*",
      app: appId,
      created_date: todayUTC(),
      description: "",
      id: expect.stringMatching(UUID),
      last_modified: null,
      meta: { actor: false, schema: {}, subtype: "" },
      name: "My Timeseries",
      owner: "test",
      owner_scope: "*",
      tags: "mytimeseries",
      type: "timeseries",
    });
  });

  it("access denied: an app without the self.objects scope cannot create objects", async () => {
    const limited = new App(await createAppToken(server, "No objects", "owner:read"), server.url);
    const err = await limited.objects
      .create("My Timeseries", { tags: "mytimeseries" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HeedyError);
    const heedyErr = err as HeedyError;
    expect(heedyErr.error).toBe("access_denied");
    expect(heedyErr.errorDescription).toBe("Insufficient access to create a object of this type");
    expect(heedyErr.status).toBe(400);
    expect(errorKind(err)).toBe("request_failed");
    expect(await limited.objects()).toEqual([]);
  });

  it('ts.owner_scope = "read" → {"result":"ok"}; the app keeps full access', async () => {
    expect(await ts.update({ owner_scope: "read" })).toEqual({ result: "ok" });
    expect(ts.owner_scope).toBe("read");
    const fresh = await h.objects.get(ts.id);
    expect(fresh.owner_scope).toBe("read");
    expect(fresh.access).toBe("*");
  });

  it('h.objects(tags="mytimeseries") finds it', async () => {
    expect(ids(await h.objects({ tags: "mytimeseries" }))).toEqual([ts.id]);
    expect(await h.objects({ tags: "othertag" })).toEqual([]);
  });

  it('ts.key = "mytimeseries"; h.objects(key="mytimeseries") finds it', async () => {
    expect(await ts.update({ key: "mytimeseries" })).toEqual({ result: "ok" });
    expect(ts.key).toBe("mytimeseries");
    expect(ids(await h.objects({ key: "mytimeseries" }))).toEqual([ts.id]);
    expect(await h.objects({ key: "" })).toEqual([]);
  });

  it("len(ts) → 0; ts.append(5) → {'result': 'ok'}; len(ts) → 1; ts[:] → [{t, d: 5}]", async () => {
    expect(await ts.length()).toBe(0);
    const before = Date.now() / 1000;
    expect(await ts.append(5)).toEqual({ result: "ok" });
    const after = Date.now() / 1000;
    expect(await ts.length()).toBe(1);
    const all = await ts.slice();
    expect(all).toBeInstanceOf(DatapointArray);
    expect(all).toHaveLength(1);
    const [point] = all;
    expect(point!.d).toBe(5);
    expect(point!.t).toBeGreaterThanOrEqual(before - 0.01);
    expect(point!.t).toBeLessThanOrEqual(after + 0.01);
    // heedy omits dt when it is 0 (contract 12.4); the Python suite asserts it.
    expect("dt" in point!).toBe(false);
  });

  it('ts(t1="now-1h") and ts(t1=<unix>, t2=<unix>+1) find the point by time', async () => {
    const [point] = await ts.slice();
    expect((await ts.query({ t1: "now-1h" })).d()).toEqual([5]);
    const t = Math.floor(point!.t);
    expect((await ts.query({ t1: t, t2: t + 1 })).d()).toEqual([5]);
    expect((await ts.query({ t1: t + 1 })).d()).toEqual([]);
    expect((await ts.query({ t1: "1 hour ago" })).d()).toEqual([5]);
    expect((await ts.query({ t1: new Date(Date.now() - 60_000) })).d()).toEqual([5]);
  });

  it('ts.meta = {"schema": {"type": "number"}} merges into meta', async () => {
    expect(await ts.update({ meta: { schema: { type: "number" } } })).toEqual({ result: "ok" });
    expect(ts.data.meta).toEqual({ actor: false, schema: { type: "number" }, subtype: "" });
    expect((await h.objects.get(ts.id)).data.meta).toEqual({
      actor: false,
      schema: { type: "number" },
      subtype: "",
    });
  });

  it('ts.append("I am a string") → bad_query: The data failed schema validation', async () => {
    const err = await ts.append("I am a string").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HeedyError);
    expect(String(err)).toBe("bad_query: The data failed schema validation");
    expect((err as HeedyError).status).toBe(400);
    expect((err as HeedyError).id).toMatch(/^[0-9a-v]{20}$/);
    expect(await ts.length()).toBe(1);
  });

  it("ts.append(3.14) → {'result': 'ok'}", async () => {
    expect(await ts.append(3.14)).toEqual({ result: "ok" });
    expect((await ts.slice()).d()).toEqual([5, 3.14]);
    expect((await ts.read()).last_modified).toBe(todayUTC());
  });

  it("hybrid asyncio: every call is already a Promise, so calls can run concurrently", async () => {
    const [objects, length, app] = await Promise.all([h.objects(), ts.length(), h.read()]);
    expect(ids(objects)).toEqual([ts.id]);
    expect(length).toBe(2);
    expect(app.owner).toBe("test");
  });
});

/** The `// → <JSON>` results of the README block, checked as the block runs. */
interface ReadmeCheck {
  line: number;
  expected: unknown;
}

/**
 * Turns the README's tutorial block into a function body: import lines become injected parameters,
 * the sample token and URL become the test server's, and each `console.log(x); // → <JSON>`
 * becomes a check of x against that JSON. Other comments are prose and stay untouched.
 */
function readmeProgram(markdown: string): { body: string; checks: ReadmeCheck[] } {
  const block = /<!-- tutorial:start -->\s*```ts\n([\s\S]*?)```\s*<!-- tutorial:end -->/.exec(markdown);
  if (!block) throw new Error("README.md has no tutorial block");
  const checks: ReadmeCheck[] = [];
  const lines = block[1]!.split("\n").map((line, index) => {
    if (/^import .* from "heedy-explorer\/client";$/.test(line)) return "";
    const m = /^(\s*)console\.log\((.*)\); \/\/ → (.*)$/.exec(line);
    if (!m) return line;
    const expected: unknown = JSON.parse(m[3]!);
    checks.push({ line: index + 1, expected });
    return `${m[1]}__check(${index + 1}, ${m[2]});`;
  });
  return { body: lines.join("\n"), checks };
}

describe("README client section: the tutorial block runs as written", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it("every `// →` result matches what the call returned", async () => {
    const markdown = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const { body, checks } = readmeProgram(markdown);
    expect(checks.length).toBeGreaterThan(15);
    const source = body
      .replace('"your_access_token"', JSON.stringify(server.token))
      .replace('"https://heedy.mydomain.com"', JSON.stringify(server.url));
    const seen: { line: number; value: unknown }[] = [];
    const check = (line: number, value: unknown) => {
      // JSON round trip: compare what the value prints as, not its class (DatapointArray, handles).
      seen.push({ line, value: value === undefined ? undefined : JSON.parse(JSON.stringify(value)) });
    };
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
      ...args: string[]
    ) => (...values: unknown[]) => Promise<void>;
    const run = new AsyncFunction("App", "HeedyError", "console", "__check", source);
    await run(App, HeedyError, { log() {} }, check);
    // Every check ran (a step that silently did not throw would skip the catch block's checks).
    expect(seen.map((s) => s.line)).toEqual(checks.map((c) => c.line));
    for (const [i, c] of checks.entries()) {
      expect({ line: c.line, value: seen[i]!.value }).toEqual({ line: c.line, value: c.expected });
    }
  });
});

describe("timeseries reads and writes against the real server", () => {
  let server: TestServer;
  let h: App;
  let ts: Timeseries<number>;
  const values = [5, 6, 7, 8, 9, 10, 11, 12];

  beforeAll(async () => {
    server = await startTestServer();
    h = new App(server.token, server.url);
    ts = await h.objects.create<number>("numbers", { key: "numbers" });
    await ts.insertArray(values.map((d, i) => ({ t: 1000 + i, d })));
  });
  afterAll(async () => {
    await server?.close();
  });

  it("slice(start, end) has Python's slice semantics, like Array.prototype.slice", async () => {
    const bounds = [undefined, -10, -8, -5, -1, 0, 1, 3, 7, 8, 10];
    for (const start of bounds) {
      for (const end of bounds) {
        const got = (await ts.slice(start, end)).d();
        expect({ start, end, got }).toEqual({ start, end, got: values.slice(start, end) });
      }
    }
  });

  it("at(i) is Python's ts[i], and out-of-range indices throw RangeError", async () => {
    for (let i = -8; i < 8; i++) expect((await ts.at(i)).d).toBe(values.at(i));
    await expect(ts.at(8)).rejects.toThrow(RangeError);
    await expect(ts.at(-9)).rejects.toThrow(RangeError);
  });

  it("query() by index and time ranges, with transform and limit", async () => {
    expect((await ts.query({ t1: 1002, t2: 1004 })).d()).toEqual([7, 8]);
    expect((await ts.query({ t: 1003 })).d()).toEqual([8]);
    expect((await ts.query({ i1: 1, i2: 3 })).d()).toEqual([6, 7]);
    expect((await ts.query({ limit: 2 })).d()).toEqual([5, 6]);
    expect((await ts.query({ i2: 3, transform: "sum" })).d()).toEqual([18]);
    expect((await ts.query()).sum()).toBe(values.reduce((a, b) => a + b, 0));
  });

  it("a bad time string is sent to the server and comes back as its 400", async () => {
    const err = await ts.query({ t1: "now-1" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HeedyError);
    expect((err as HeedyError).status).toBe(400);
  });

  it("insert() with an explicit time and insertArray() with method insert", async () => {
    const extra = await h.objects.create<string>("extra");
    expect(await extra.insert("a", { t: 10, dt: 2 })).toEqual({ result: "ok" });
    expect(await extra.insertArray([{ t: 20, d: "b" }], { method: "insert" })).toEqual({ result: "ok" });
    const err = await extra.insertArray([{ t: 11, d: "c" }], { method: "insert" }).catch((e: unknown) => e);
    expect(String(err)).toBe("bad_query: conflict with existing datapoint");
    expect(await extra.slice()).toEqual([
      { t: 10, dt: 2, d: "a" },
      { t: 20, d: "b" },
    ]);
    expect(await extra.delete()).toEqual({ result: "ok" });
    const gone = await h.objects.get(extra.id).catch((e: unknown) => e);
    expect((gone as HeedyError).status).toBe(403);
    expect((gone as HeedyError).error).toBe("not_found");
  });

  it("remove() by index and by range", async () => {
    const scratch = await h.objects.create<number>("scratch");
    await scratch.insertArray([1, 2, 3, 4].map((d) => ({ t: d, d })));
    expect(await scratch.remove({ i: -1 })).toEqual({ result: "ok" });
    expect((await scratch.slice()).d()).toEqual([1, 2, 3]);
    await scratch.remove({ t1: 2, t2: 3 });
    expect((await scratch.slice()).d()).toEqual([1, 3]);
    await scratch.remove({ i1: 0 });
    expect(await scratch.length()).toBe(0);
    await scratch.delete();
  });

  it("plot() gives the same answer from the server extension and from the client fallback", async () => {
    const wave = await h.objects.create<number>("wave");
    const points = Array.from({ length: 5000 }, (_, i) => ({
      t: 2000 + i,
      d: Math.sin(i / 40) * 10 + (i % 7),
    }));
    await wave.insertArray(points);
    const query = { t1: 2000, t2: 7000, columns: 100 };
    const fromServer = await wave.plot(query);
    // The same server, but answering the capabilities request the way heedy 0.6 does.
    const asHeedy = new App(server.token, server.url, {
      fetch: (input, init) =>
        input.endsWith("/api/server/capabilities")
          ? Promise.resolve(
              new Response(
                '{"error":"not_found","error_description":"The given endpoint is not available"}',
                {
                  status: 404,
                },
              ),
            )
          : fetch(input, init),
    });
    expect((await asHeedy.capabilities()).extensions).toEqual([]);
    const fromClient = await (await asHeedy.objects.timeseries(wave.id)).plot(query);
    expect(fromServer.count).toBe(5000);
    expect(fromServer.raw).toBe(false);
    expect(fromClient).toEqual(fromServer);
    await wave.delete();
  });
});

describe("objects, apps, key-value store and errors against the real server", () => {
  let server: TestServer;
  let h: App;
  let keyed: ObjectHandle;

  beforeAll(async () => {
    server = await startTestServer();
    h = new App(server.token, server.url);
    keyed = await h.objects.create("numbers", { key: "numbers" });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("capabilities list the plot extension, and the version is plain text", async () => {
    const caps = await h.capabilities();
    expect(caps.server).toBe("heedy-explorer");
    expect(caps.extensions).toContain("timeseries.plot");
    expect(await h.version()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("meta helpers: setSchema, meta.update and meta.delete", async () => {
    const o = await h.objects.create("meta");
    await o.setSchema({ type: "number" });
    expect((await o.read()).meta.schema).toEqual({ type: "number" });
    await o.meta.delete("schema");
    expect(o.meta.value).toEqual({ actor: false, schema: {}, subtype: "" });
    expect(await o.meta.read()).toEqual({ actor: false, schema: {}, subtype: "" });
    await o.delete();
  });

  it("kv: set, get, update, replace and delete the app's namespace", async () => {
    expect(await h.kv.get()).toEqual({});
    expect(await h.kv.get("missing")).toBeNull();
    await h.kv.set("a", 1);
    await h.kv.set("b", { x: [1, 2] });
    expect(await h.kv.get()).toEqual({ a: 1, b: { x: [1, 2] } });
    await h.kv.update({ a: 2, c: null });
    expect(await h.kv.get("a")).toBe(2);
    expect(await h.kv.get()).toEqual({ a: 2, b: { x: [1, 2] }, c: null });
    await h.kv.replace({ only: true });
    expect(await h.kv.get()).toEqual({ only: true });
    expect(await h.kv.delete("only")).toEqual({ result: "ok" });
    const err = await h.kv.delete("only").catch((e: unknown) => e);
    expect((err as HeedyError).error).toBe("not_found");
  });

  it("app.read(), app.update() and app.owner()", async () => {
    const app = await h.read();
    expect(h.id).toBe(app.id);
    expect(app.id).toMatch(UUID);
    expect(await h.update({ description: "from the TypeScript client" })).toEqual({ result: "ok" });
    expect(h.data?.description).toBe("from the TypeScript client");
    expect((await h.read()).description).toBe("from the TypeScript client");
    const owner = await h.owner();
    expect(owner.username).toBe("test");
    expect((await owner.read()).username).toBe("test");
  });

  it("listObjects() with arbitrary filters", async () => {
    expect(ids(await h.listObjects({ owner: "self", key: "numbers" }))).toEqual([keyed.id]);
    expect(ids(await h.listObjects({ type: "timeseries", tags: [] }))).toContain(keyed.id);
  });

  it("Plugin: the plugin key sees everything and can act as a user", async () => {
    const plugin = new Plugin(server.pluginKey, server.url);
    expect(ids(await plugin.objects({ key: "numbers" }))).toEqual([keyed.id]);
    const own = await plugin.objects.create("user object", { owner: "test" });
    expect(own.app).toBeNull();
    expect(own.owner).toBe("test");

    const asTest = plugin.as("test");
    expect(asTest.actingAs).toBe("test");
    expect(ids(await asTest.objects({ app: "" }))).toEqual([own.id]);
    const userKV = plugin.kv("users", "test", "notes");
    await userKV.set("x", 1);
    expect(await userKV.get()).toEqual({ x: 1 });
    await own.delete();

    const wrongKey = await new Plugin("nope", server.url).objects().catch((e: unknown) => e);
    expect(errorKind(wrongKey)).toBe("token_rejected");
  });

  it("regenerating the token switches the App to the new one", async () => {
    const token = await createAppToken(server, "Rotating", "self.objects");
    const rotating = new App(token, server.url);
    const result = await rotating.update({ access_token: true });
    expect(result.access_token).toMatch(/.{10,}/);
    expect((await rotating.read()).name).toBe("Rotating");
    const stale = new App(token, server.url);
    const err = await stale.read().catch((e: unknown) => e);
    expect(errorKind(err)).toBe("token_rejected");
  });

  it("tells a rejected token from an unreachable server from something that is not heedy", async () => {
    const badToken = await new App("not-a-token", server.url).objects().catch((e: unknown) => e);
    expect(errorKind(badToken)).toBe("token_rejected");
    expect((badToken as HeedyError).status).toBe(401);
    expect((badToken as HeedyError).id).toBeUndefined();

    const closed = await new App(server.token, "http://127.0.0.1:9").objects().catch((e: unknown) => e);
    expect(closed).toBeInstanceOf(HeedyNetworkError);
    expect(errorKind(closed)).toBe("unreachable");

    // Outside /api the server answers like Go's file server: plain text, not heedy's JSON.
    const wrongPath = await new App(server.token, `${server.url}/not-heedy`)
      .objects()
      .catch((e: unknown) => e);
    expect(wrongPath).toBeInstanceOf(HeedyResponseError);
    expect(errorKind(wrongPath)).toBe("not_heedy");
  });

  it("cancels a request through its AbortSignal", async () => {
    const controller = new AbortController();
    const pending = h.objects({ signal: controller.signal });
    controller.abort();
    const err = await pending.catch((e: unknown) => e);
    expect(errorKind(err)).toBe("aborted");
  });
});
