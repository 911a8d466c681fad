/**
 * HTTP fuzz over every registered route (fast-check): generated methods, paths built from the real
 * route table (with hostile parameter values) or from random segments, query strings, credentials,
 * content types and bodies. The server must never answer 5xx, never take 2 s, give every /api and
 * /auth error in heedy's shape, and still be up at the end.
 */
import { Agent, request } from "node:http";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { routeTable } from "./http/route-table.js";
import {
  bearer,
  type Clients,
  clientsFor,
  createApp,
  createObject,
  createUser,
  testAppFolder,
} from "./test-http.js";
import { startTestServer, type TestServer } from "./testing.js";

let server: TestServer;
const appFolder = testAppFolder();
let c: Clients;
let ids: string[] = [];
let credentials: Record<string, string>[] = [];
const agent = new Agent({ keepAlive: true, maxSockets: 4 });

beforeAll(async () => {
  // With the built app's folder, so its routes (the assets, from memory) are in the table too.
  server = await startTestServer({ staticDir: appFolder.dir });
  c = await clientsFor(server);
  await createUser(c, "fuzz", "fuzz-password");
  const app = await createApp(c, "fuzz", { name: "Fuzz App", scope: "*" });
  const obj = await createObject(app.http, { name: "fuzz series", meta: { schema: { type: "number" } } });
  ids = [obj.id as string, app.id, "fuzz", "self", "test"];
  credentials = [
    {},
    bearer(app.token),
    bearer("not-a-token"),
    { "x-heedy-key": server.pluginKey, "x-heedy-as": "fuzz" },
    { "x-heedy-key": "wrong" },
    { cookie: "token=garbage" },
  ];
});
afterAll(async () => {
  agent.destroy();
  await server?.close();
  appFolder.remove();
});

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}
interface Got {
  status: number;
  type: string;
  text: string;
  ms: number;
}

function send(r: Sent): Promise<Got> {
  const url = new URL(server.url);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    // Node frames a body of GET/DELETE/OPTIONS only when told its length.
    const headers =
      r.body === undefined
        ? r.headers
        : { ...r.headers, "content-length": String(Buffer.byteLength(r.body)) };
    const req = request(
      { host: url.hostname, port: url.port, method: r.method, path: r.path, headers, agent },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => {
          if (text.length < 4096) text += d;
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers["content-type"] ?? ""),
            text,
            ms: performance.now() - started,
          }),
        );
      },
    );
    req.on("error", (e) =>
      reject(
        Object.assign(e, {
          message: `${e.message} ${String((e as { rawPacket?: Buffer }).rawPacket ?? "")}`,
        }),
      ),
    );
    req.setTimeout(5000, () => req.destroy(new Error("no answer within 5 s")));
    req.end(r.body);
  });
}

const hostile = fc.oneof(
  fc.constantFrom(
    "..",
    ".",
    "%2e%2e",
    "%00",
    "%zz",
    "%",
    "self",
    "__proto__",
    "constructor",
    "a%2Fb",
    "~",
    "",
  ),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
  fc.integer().map(String),
  fc.constant("x".repeat(600)),
);
const param = fc.oneof(
  fc.constant(null), // filled with a real id
  hostile,
);

const QUERY_NAMES = [
  "t",
  "t1",
  "t2",
  "i",
  "i1",
  "i2",
  "limit",
  "transform",
  "method",
  "validate",
  "actions",
  "tags",
  "key",
  "owner",
  "app",
  "type",
  "token",
  "columns",
  "access_token",
  "icon",
  "timeseries",
  "scope",
];
const queryValue = fc.oneof(
  fc.constantFrom(
    "now",
    "now-1h",
    "now-1",
    "1e309",
    "-1",
    "0",
    "true",
    "NaN",
    "sum",
    "mean",
    "d",
    "",
    "self",
  ),
  fc.integer().map(String),
  fc.double().map(String),
  fc.string({ maxLength: 30 }),
);
const query = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_NAMES), fc.string({ maxLength: 8 })), queryValue), {
    maxLength: 4,
  })
  .map((pairs) => (pairs.length ? `?${new URLSearchParams(pairs).toString()}` : ""));

const jsonBody = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc
    .array(
      fc.record({ t: fc.oneof(fc.double(), fc.string({ maxLength: 8 })), d: fc.jsonValue({ maxDepth: 2 }) }),
      { maxLength: 5 },
    )
    .map((v) => JSON.stringify(v)),
  fc.constantFrom(
    "[".repeat(10_000),
    `${"[".repeat(5_000)}${"]".repeat(5_000)}`,
    '{"t":1e309,"d":1}',
    '[{"t":1,"d":1e309}]',
    '{"__proto__":{"admin":true}}',
    "not json",
    "",
  ),
  fc.string({ maxLength: 200 }),
);
const contentType = fc.constantFrom(
  undefined,
  "application/json",
  "application/x-www-form-urlencoded",
  "text/plain",
  "multipart/form-data; boundary=x",
  "application/json; charset=latin1",
);

const requestArb = fc
  .record({
    routeIndex: fc.nat(),
    random: fc.boolean(),
    segments: fc.array(hostile, { minLength: 1, maxLength: 5 }),
    params: fc.array(param, { minLength: 4, maxLength: 4 }),
    method: fc.constantFrom("GET", "POST", "PATCH", "PUT", "DELETE", "HEAD", "OPTIONS"),
    useRouteMethod: fc.boolean(),
    query,
    credentials: fc.nat(),
    contentType,
    body: fc.option(jsonBody, { nil: undefined }),
  })
  .map((g): Sent => {
    const routes = routeTable(server.app);
    const route = routes[g.routeIndex % routes.length]!;
    let path: string;
    if (g.random) {
      path = `/${["api", ...g.segments].join("/")}`;
    } else {
      let i = 0;
      path = route.url
        .replace(/:scope\([^/]*\)/, () => ["users", "apps", "objects"][g.routeIndex % 3]!)
        .replace(/:[a-z]+/g, () => {
          const v = g.params[i++ % g.params.length];
          return v ?? ids[(g.routeIndex + i) % ids.length]!;
        });
    }
    const headers: Record<string, string> = { ...credentials[g.credentials % credentials.length] };
    if (g.contentType) headers["content-type"] = g.contentType;
    const method = g.useRouteMethod && !g.random ? route.method : g.method;
    const body = method === "GET" || method === "HEAD" ? undefined : g.body;
    return { method, path: `${path}${g.query}`, headers, body };
  });

describe("HTTP fuzz over the route table", () => {
  it("never 5xx, never slow, always heedy's error shape, and the server stays up", async () => {
    let requests = 0;
    const recent: string[] = [];
    await fc.assert(
      fc.asyncProperty(requestArb, async (r) => {
        recent.push(
          `${r.method} ${r.path.slice(0, 80)} ${JSON.stringify(r.headers)} body=${r.body?.length ?? "none"}`,
        );
        if (recent.length > 4) recent.shift();
        const res = await send(r).catch((e: Error) => {
          throw new Error(`${e.message}\nrecent:\n${recent.join("\n")}`);
        });
        requests++;
        const where = `${r.method} ${r.path} -> ${res.status} ${res.text.slice(0, 200)}`;
        expect(res.status, where).toBeLessThan(500);
        expect(res.ms, where).toBeLessThan(2000);
        const apiPath = /^\/(api|auth)(\/|$|\?)/.test(r.path);
        if (res.status >= 400 && apiPath && r.method !== "HEAD") {
          expect(res.type, where).toMatch(/^application\/json/);
          const body = JSON.parse(res.text) as Record<string, unknown>;
          expect(typeof body.error, where).toBe("string");
          expect(typeof body.error_description, where).toBe("string");
        }
      }),
      { numRuns: 1500, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31), endOnFailure: true },
    );
    const version = await send({ method: "GET", path: "/api/server/version", headers: {} });
    expect(version.status).toBe(200);
    console.info(`http fuzz: ${routeTable(server.app).length} routes, ${requests} requests`);
  }, 120_000);
});
