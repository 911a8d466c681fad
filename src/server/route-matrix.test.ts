/**
 * The cross-tenant auth matrix over EVERY route, enumerated from fastify's own route table, so a new
 * route cannot escape it: each actor that has no rights over user `victim` sends each route with its
 * parameters pointing at victim's resources and a body that would succeed if it were allowed.
 *
 * For every cell: never a 5xx; no 2xx that carries victim data or any secret; and victim's rows in
 * the database (everything but access timestamps and other users' sessions) are byte-for-byte
 * unchanged. scope-matrix.test.ts covers the finer, within-tenant scope rules of contract 7.
 */
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RouteEntry, routeTable } from "./http/route-table.js";
import {
  bearer,
  type Clients,
  clientsFor,
  createApp,
  createObject,
  createUser,
  type Http,
  login,
  type Res,
  testAppFolder,
} from "./test-http.js";
import { startTestServer, type TestServer } from "./testing.js";

let server: TestServer;
const appFolder = testAppFolder();
let c: Clients;
let db: Database.Database;

interface Victim {
  appId: string;
  appToken: string;
  objectId: string;
  userObjectId: string;
  sessionId: string;
  sessionToken: string;
}
let victim: Victim;
const MARK = "victim-marker-7d1f";
const actors: Record<string, Http> = {};

beforeAll(async () => {
  // With the built app's folder, so its routes (the assets, from memory) are in the table too.
  server = await startTestServer({ staticDir: appFolder.dir });
  c = await clientsFor(server);
  await createUser(c, "victim", "victim-password", { description: MARK });
  await createUser(c, "attacker", "attacker-password");
  const vApp = await createApp(c, "victim", { name: "Victim App", scope: "*", description: MARK });
  const obj = await createObject(vApp.http, { name: "victim series", description: MARK });
  const userObj = await createObject(c.as("victim"), { name: "victim own", description: MARK });
  const objectId = obj.id as string;
  expect((await vApp.http.post(`/api/objects/${objectId}/timeseries`, [{ t: 1, d: 42 }])).status).toBe(200);
  for (const [scope, id] of [
    ["users", "victim"],
    ["apps", vApp.id],
    ["objects", objectId],
  ] as const) {
    const res = await c.plugin.post(`/api/kv/${scope}/${id}/ns`, { k: MARK });
    expect(res.status, res.text).toBe(200);
  }
  const session = await login(c, "victim", "victim-password");
  const sessions = await c.as("victim").get("/api/users/victim/sessions");
  const sessionId = (sessions.body as { sessionid: string }[])[0]!.sessionid;
  victim = {
    appId: vApp.id,
    appToken: vApp.token,
    objectId,
    userObjectId: userObj.id as string,
    sessionId,
    sessionToken: (session.defaults.cookie ?? "").replace("token=", ""),
  };
  const disabled = await createApp(c, "victim", { name: "Disabled", scope: "*", enabled: false });
  const attackerAll = await createApp(c, "attacker", { name: "Attacker *", scope: "*" });
  const attackerNone = await createApp(c, "attacker", { name: "Attacker none", scope: "" });
  actors.public = c.anon;
  actors["attacker (cookie)"] = await login(c, "attacker", "attacker-password");
  actors["attacker app (*)"] = attackerAll.http;
  actors["attacker app (no scope)"] = attackerNone.http;
  actors["victim's disabled app"] = c.anon.with(bearer(disabled.token));
  actors["bad token"] = c.anon.with(bearer("not-a-token"));
  actors["bad plugin key"] = c.anon.with({ "x-heedy-key": "wrong", "x-heedy-as": "victim" });
  db = new Database(`${server.dataDir}/heedy.db`, { readonly: true, fileMustExist: true });
});
afterAll(async () => {
  db?.close();
  await server?.close();
  appFolder.remove();
});

/** Every table, every row, minus what a refused request may legitimately touch. */
function snapshot(): string {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .pluck()
    .all() as string[];
  const out: Record<string, unknown[]> = {};
  for (const t of tables) {
    const rows = db.prepare(`SELECT * FROM "${t}"`).all() as Record<string, unknown>[];
    out[t] = rows
      .filter((r) => t !== "sessions" || r.username === "victim")
      .map((r) => {
        const { last_access_date: _a, ...rest } = r;
        return JSON.stringify(rest, (_k, v) => (Buffer.isBuffer(v) ? v.toString("hex") : v));
      })
      .sort();
  }
  return JSON.stringify(out);
}

/** The concrete requests for one route pattern, aimed at victim's resources. */
function requestsFor(route: RouteEntry): { path: string; body?: unknown; form?: string }[] {
  const scopes = route.url.includes(":scope(") ? (["users", "apps", "objects"] as const) : ([null] as const);
  return scopes.map((scope) => {
    const kvId = scope === "users" ? "victim" : scope === "apps" ? victim.appId : victim.objectId;
    let path = route.url
      .replace(/:scope\([^/]*\)/, scope ?? "")
      .replace(":username", "victim")
      .replace(":sessionid", victim.sessionId)
      .replace(":namespace", "ns")
      .replace(":key", "k")
      .replace(":plugin", "heedy")
      .replace(":type", "timeseries")
      // The app's one asset (testAppFolder): public, like every built file.
      .replace(":name", "app-Ab12.js");
    if (path.startsWith("/api/apps/")) path = path.replace(":id", victim.appId);
    else if (path.startsWith("/api/kv/")) path = path.replace(":id", kvId);
    else path = path.replace(":id", victim.objectId);
    expect(path, `route ${route.url} has a parameter this matrix does not know`).not.toMatch(/:/);
    return { path, ...bodyFor(route.method, path) };
  });
}

function bodyFor(method: string, path: string): { body?: unknown; form?: string } {
  if (method === "GET" || method === "DELETE") return {};
  if (path === "/auth/token") {
    return {
      form: new URLSearchParams({ grant_type: "password", username: "victim", password: "guess" }).toString(),
    };
  }
  if (path === "/auth/logout") return {};
  if (path === "/api/users") return { body: { username: "made-by-attacker", password: "x" } };
  if (path === "/api/apps") return { body: { name: "planted", owner: "victim", scope: "*" } };
  if (path === "/api/objects") return { body: { name: "planted", owner: "victim", type: "timeseries" } };
  if (path.endsWith("/timeseries") || path.endsWith("/data")) return { body: [{ t: 2, d: 666 }] };
  if (path.startsWith("/api/kv/")) return { body: path.endsWith("/k") ? "pwned" : { k: "pwned" } };
  if (path.startsWith("/api/users/") && path.includes("/settings/")) return { body: { x: 1 } };
  if (path.startsWith("/api/users/")) return { body: { description: "pwned", password: "pwned" } };
  if (path.startsWith("/api/apps/"))
    return { body: { description: "pwned", scope: "*", access_token: true } };
  return { body: { description: "pwned", owner_scope: "*", meta: { schema: {} } } };
}

/** Values that must never appear in an answer to someone who is not victim. */
function secrets(): string[] {
  return [
    MARK,
    victim.appId,
    victim.objectId,
    victim.userObjectId,
    victim.sessionId,
    victim.sessionToken,
    victim.appToken,
    server.pluginKey,
    server.token,
    "victim-password",
    "scrypt",
  ];
}

/** Public server facts every actor may read. */
const PUBLIC_READS = new Set([
  "GET /api/server/version",
  "GET /api/server/capabilities",
  "GET /api/server/scope",
  "GET /api/server/scope/:type",
  "GET /frontend_context",
  "GET /assets/:name",
]);

function problems(route: RouteEntry, path: string, res: Res): string[] {
  const out: string[] = [];
  if (res.status >= 500) out.push(`${res.status} ${res.text}`);
  for (const s of secrets()) {
    if (res.text.includes(s) && !(s === victim.objectId && !res.text.startsWith("["))) {
      // An error may echo the id the caller itself sent in the path; nothing else may leak.
      if (!(res.status >= 400 && path.includes(s))) out.push(`answer contains ${s}`);
    }
  }
  for (const [k, v] of res.headers) {
    if (secrets().some((s) => v.includes(s))) out.push(`header ${k} carries a secret`);
  }
  const key = `${route.method} ${route.url}`;
  if (res.status < 300 && !PUBLIC_READS.has(key)) {
    // Allowed 2xx answers are the caller's own (empty) view, e.g. an empty list or its own logout.
    const harmless =
      (route.method === "GET" && (res.text === "[]" || res.text === "{}")) ||
      (route.url === "/auth/logout" && res.status === 200) ||
      (route.method === "GET" &&
        ["/api/objects", "/api/apps", "/api/users", "/api/server/apps"].includes(route.url));
    if (!harmless) out.push(`allowed: ${res.status} ${res.text.slice(0, 120)}`);
  }
  return out;
}

describe("every route × every actor without rights over victim", () => {
  it("enumerates the real route table", () => {
    const routes = routeTable(server.app);
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.map((r) => `${r.method} ${r.url}`)).toContain("POST /api/objects/:id/timeseries");
    expect(routes.map((r) => `${r.method} ${r.url}`)).toContain("GET /assets/:name");
  });

  it("refuses every read and write beyond the contract, and leaks nothing", async () => {
    const routes = routeTable(server.app);
    const failures: string[] = [];
    let requests = 0;
    // Logout ends the attacker's own session; run it last so the cookie stays valid meanwhile.
    const ordered = [...routes].sort(
      (a, b) => Number(a.url === "/auth/logout") - Number(b.url === "/auth/logout"),
    );
    for (const [name, http] of Object.entries(actors)) {
      for (const route of ordered) {
        for (const r of requestsFor(route)) {
          const before = snapshot();
          const res =
            r.form !== undefined
              ? await http.req(route.method, r.path, {
                  raw: r.form,
                  headers: { "content-type": "application/x-www-form-urlencoded" },
                })
              : await http.req(route.method, r.path, r.body === undefined ? {} : { json: r.body });
          requests++;
          for (const p of problems(route, r.path, res))
            failures.push(`${name} ${route.method} ${r.path}: ${p}`);
          if (snapshot() !== before)
            failures.push(`${name} ${route.method} ${r.path}: changed victim's data`);
        }
      }
    }
    expect(failures).toEqual([]);
    // Routes × actors × requests, for the closing note of the reliability suite.
    console.info(
      `route matrix: ${routes.length} routes, ${Object.keys(actors).length} actors, ${requests} requests`,
    );
  });
});
