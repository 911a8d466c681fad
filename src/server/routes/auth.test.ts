/**
 * Authentication (contract section 2) over HTTP: login, logout, cookies, bearer tokens,
 * `?access_token=`, the plugin key with X-Heedy-As, and the failure delays and rate limit.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDataDir } from "../data-dir.js";
import {
  bearer,
  type Clients,
  clientsFor,
  createApp,
  createUser,
  expectAuthError,
  expectError,
  Http,
  login,
} from "../test-http.js";
import { startTestServer, type TestServer } from "../testing.js";

let server: TestServer;
let c: Clients;

beforeAll(async () => {
  server = await startTestServer();
  c = await clientsFor(server);
});
afterAll(() => server.close());

const FORM = { "content-type": "application/x-www-form-urlencoded" };

function tokenRequest(http: Http, body: string, headers: Record<string, string> = FORM, query = "") {
  return http.req("POST", `/auth/token${query}`, { raw: body, headers });
}

describe("POST /auth/token", () => {
  it("logs in with a form body, answers the token and sets the session cookie", async () => {
    const res = await tokenRequest(c.anon, "grant_type=password&username=test&password=test");
    expect(res.status).toBe(200);
    const body = res.body as { access_token: string; token_type: string };
    expect(body).toEqual({ access_token: expect.any(String), token_type: "bearer" });
    expect(body.access_token.length).toBeGreaterThanOrEqual(20);
    const cookie = res.headers.get("set-cookie")!;
    const parts = cookie.split(";").map((p) => p.trim());
    expect(parts[0]).toBe(`token=${body.access_token}`);
    expect(parts).toContain("Path=/");
    expect(parts).toContain("HttpOnly");
    expect(parts).toContain("SameSite=Lax");
    // Not heedy's five years: the cookie lives as long as the session may (90 days by default).
    expect(parts).toContain(`Max-Age=${90 * 24 * 3600}`);
    expect(parts.some((p) => p.startsWith("Expires="))).toBe(false);
    // Plain http: a Secure cookie would never come back.
    expect(parts).not.toContain("Secure");
  });

  it("the cookie authenticates as the user; the token is not a bearer token", async () => {
    const res = await tokenRequest(c.anon, "grant_type=password&username=test&password=test");
    const token = (res.body as { access_token: string }).access_token;
    const user = c.anon.with({ cookie: `token=${token}` });
    expect((await user.get("/api/users/test")).status).toBe(200);
    expect((await user.get("/api/apps")).status).toBe(200);
    expectAuthError(
      await c.anon.with(bearer(token)).get("/api/users/test"),
      401,
      "access_denied",
      "access_denied: invalid API key",
    );
  });

  it("replaces a stale cookie with exactly one Set-Cookie", async () => {
    const res = await c.anon.req("POST", "/auth/token", {
      raw: "grant_type=password&username=test&password=test",
      headers: { ...FORM, cookie: "token=stale-session" },
    });
    expect(res.status).toBe(200);
    const cookies = res.headers.getSetCookie();
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatch(new RegExp(`^token=${(res.body as { access_token: string }).access_token};`));
    const out = await c.anon.req("POST", "/auth/logout", { headers: { cookie: "token=stale-session" } });
    expect(out.headers.getSetCookie()).toEqual(["token=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"]);
  });

  it("also reads the fields from the query string", async () => {
    const res = await tokenRequest(c.anon, "", {}, "?grant_type=password&username=test&password=test");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: "bearer" });
  });

  it("answers OAuth-style errors without a request id", async () => {
    const cases: [string, Record<string, string>, object][] = [
      [
        "grant_type=password&username=test&password=wrong",
        FORM,
        { error: "access_denied", error_description: "Wrong username or password" },
      ],
      [
        "grant_type=password&username=nobody&password=test",
        FORM,
        { error: "access_denied", error_description: "Wrong username or password" },
      ],
      [
        "grant_type=password&username=test",
        FORM,
        { error: "parameter_absent", error_description: "Must have both username and password" },
      ],
      [
        "grant_type=password&username=&password=x",
        FORM,
        { error: "parameter_absent", error_description: "Must have both username and password" },
      ],
      [
        "grant_type=client_credentials&username=test&password=test",
        FORM,
        { error: "unsupported_grant_type", error_description: "Grant type not supported" },
      ],
      // Go reads form fields only from urlencoded bodies; a JSON body leaves grant_type empty.
      [
        JSON.stringify({ grant_type: "password", username: "test", password: "test" }),
        { "content-type": "application/json" },
        { error: "unsupported_grant_type", error_description: "Grant type not supported" },
      ],
    ];
    for (const [body, headers, expected] of cases) {
      const res = await tokenRequest(c.anon, body, headers);
      expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: expected });
    }
  });

  it("passes through authentication first: a malformed Authorization header is a 401", async () => {
    const res = await tokenRequest(
      c.anon.with({ authorization: "Basic dGVzdDp0ZXN0" }),
      "grant_type=password&username=test&password=test",
    );
    expectAuthError(res, 401, "access_denied", "bad_request: Malformed authorization header");
  });
});

describe("POST /auth/logout", () => {
  it("deletes the session and clears the cookie", async () => {
    const user = await login(c, "test", "test");
    const res = await user.req("POST", "/auth/logout");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ result: "ok" });
    const cleared = res.headers.get("set-cookie")!;
    expect(cleared).toMatch(/^token=;/);
    expect(cleared).toContain("Max-Age=0");
    expect(cleared).toContain("Path=/");
    // The old cookie now means public, and the server asks the browser to drop it (2.1 step 6).
    const after = await user.get("/api/users/test");
    expectError(after, 400, "not_found", "User was not found");
    expect(after.headers.get("set-cookie")).toBe("token=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
  });

  // heedy logs out on GET, which any page could trigger with an <img>; this server logs out only
  // on POST (our browser app uses it), so GET is an unknown route and the session survives.
  it("is not reachable with GET", async () => {
    const user = await login(c, "test", "test");
    expectError(await user.get("/auth/logout"), 404, "not_found", "The given endpoint is not available");
    expect((await user.get("/api/users/test")).status).toBe(200);
  });

  it("without a session still answers ok", async () => {
    const res = await c.anon.req("POST", "/auth/logout");
    expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: { result: "ok" } });
  });
});

describe("cookies", () => {
  it("an unknown session cookie is public and is cleared", async () => {
    const res = await c.anon.with({ cookie: "token=not-a-session" }).get("/api/objects");
    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
    expect(res.headers.get("set-cookie")).toBe("token=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
  });

  it("an empty cookie is simply public", async () => {
    const res = await c.anon.with({ cookie: "token=" }).get("/api/objects");
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("a bearer token wins over a cookie", async () => {
    await createUser(c, "cookieuser", "pw");
    const other = await login(c, "cookieuser", "pw");
    const res = await other.with(bearer(server.token)).get("/api/apps/self");
    expect(res.body).toMatchObject({ id: c.appId, owner: "test" });
  });
});

describe("app tokens", () => {
  it("Authorization: Bearer, with the prefix compared case-insensitively", async () => {
    for (const prefix of ["Bearer", "bearer", "BEARER"]) {
      const res = await c.anon.with({ authorization: `${prefix} ${server.token}` }).get("/api/apps/self");
      expect(res.body).toMatchObject({ id: c.appId });
    }
  });

  it("refuses malformed headers and unknown tokens with 401 and no id", async () => {
    for (const authorization of ["Basic abc", "Token testkey", "Bearertestkey"]) {
      expectAuthError(
        await c.anon.with({ authorization }).get("/api/apps/self"),
        401,
        "access_denied",
        "bad_request: Malformed authorization header",
      );
    }
    expectAuthError(
      await c.anon.with(bearer("wrong-token")).get("/api/apps/self"),
      401,
      "access_denied",
      "access_denied: invalid API key",
    );
  });

  it("?access_token= authenticates, also on endpoints with strict query decoding (12.22)", async () => {
    const self = await c.anon.get(`/api/apps/self?access_token=${server.token}`);
    expect(self.body).toMatchObject({ id: c.appId });
    const list = await c.anon.get(`/api/objects?access_token=${server.token}&app=self`);
    expect(list.status).toBe(200);
    const kv = await c.anon.get(`/api/kv/apps/self/self?access_token=${server.token}`);
    expect(kv.status).toBe(200);
    expectAuthError(
      await c.anon.get("/api/apps/self?access_token=nope"),
      401,
      "access_denied",
      "access_denied: invalid API key",
    );
  });

  it("sets last_access_date on first use", async () => {
    const app = await createApp(c, "test");
    expect((await c.plugin.get(`/api/apps/${app.id}`)).body).toMatchObject({ last_access_date: null });
    await app.http.get("/api/apps/self");
    const today = new Date().toISOString().slice(0, 10);
    expect((await c.plugin.get(`/api/apps/${app.id}`)).body).toMatchObject({ last_access_date: today });
  });
});

describe("plugin key", () => {
  it("acts as heedy (administrative) by default and with X-Heedy-As: heedy", async () => {
    for (const http of [c.plugin, c.as("heedy")]) {
      const res = await http.get("/api/users");
      expect(res.status).toBe(200);
      expect((res.body as { username: string }[]).map((u) => u.username)).toContain("test");
    }
  });

  it("X-Heedy-As: public, <user> and <user>/<appid>", async () => {
    expectError(
      await c.as("public").get("/api/apps"),
      400,
      "access_denied",
      "You must be logged in to list apps",
    );
    const asUser = await c.as("test").get("/api/apps");
    expect((asUser.body as { id: string }[]).map((a) => a.id)).toContain(c.appId);
    const asApp = await c.as(`test/${c.appId}`).get("/api/apps/self");
    expect(asApp.body).toMatchObject({ id: c.appId, owner: "test" });
  });

  it("X-Heedy-As naming no user or a foreign app is a plugin_error 400 without id", async () => {
    await createUser(c, "pluginother", "pw");
    for (const who of ["nosuchuser", `pluginother/${c.appId}`, "test/no-such-app"]) {
      const res = await c.as(who).get("/api/apps");
      expect(res.status).toBe(400);
      const body = res.body as Record<string, string>;
      expect(Object.keys(body).sort()).toEqual(["error", "error_description"]);
      expect(body.error).toBe("plugin_error");
      expect(body.error_description?.startsWith(`Could not auth as ${who}: `)).toBe(true);
    }
  });

  it("a wrong key is a 401; X-Heedy headers without a key are a 403; neither has an id", async () => {
    expectAuthError(
      await c.anon.with({ "x-heedy-key": "wrong" }).get("/api/users"),
      401,
      "access_denied",
      "invalid heedy plugin key",
    );
    const stray: Record<string, string>[] = [
      { "x-heedy-as": "test" },
      { "X-Heedy-Id": "x" },
      { "x-heedy-overlay": "none" },
    ];
    for (const headers of stray) {
      expectAuthError(
        await c.anon.with(headers).get("/api/users"),
        403,
        "access_denied",
        "X-Heedy headers are only permitted with a valid X-Heedy-Key",
      );
    }
    // An empty X-Heedy-Key counts as a stray X-Heedy header (2.1 step 2).
    const emptyKey = await fetch(`${server.url}/api/users`, { headers: { "x-heedy-key": "" } });
    expect(emptyKey.status).toBe(403);
    expect(await emptyKey.json()).toEqual({
      error: "access_denied",
      error_description: "X-Heedy headers are only permitted with a valid X-Heedy-Key",
    });
    // Even with a valid bearer token.
    expectAuthError(
      await c.app.with({ "x-heedy-as": "test" }).get("/api/apps/self"),
      403,
      "access_denied",
      "X-Heedy headers are only permitted with a valid X-Heedy-Key",
    );
  });
});

describe("failure delays and the login rate limit", () => {
  it("the data folder's default failure delay is heedy's 1 second", async () => {
    const ctx = await openDataDir(server.dataDir);
    try {
      expect(ctx.authFailureDelayMs).toBe(1000);
    } finally {
      await ctx.store.close();
    }
  });

  it("a server with the default delay answers a bad token and a wrong password after ~1 s", async () => {
    const slow = await startTestServer({ authFailureDelayMs: 1000 });
    try {
      const http = new Http(slow.url);
      const started = Date.now();
      const [token, password] = await Promise.all([
        http.with(bearer("wrong")).get("/api/apps/self"),
        tokenRequest(http, "grant_type=password&username=test&password=wrong"),
      ]);
      const elapsed = Date.now() - started;
      expect(token.status).toBe(401);
      expect(password.status).toBe(400);
      expect(elapsed).toBeGreaterThanOrEqual(950);
      expect(elapsed).toBeLessThan(3000);
    } finally {
      await slow.close();
    }
  });

  it("after 5 failed logins the next attempt is 429, even with the right password", async () => {
    const limited = await startTestServer();
    try {
      const http = new Http(limited.url);
      for (let i = 0; i < 5; i++) {
        const res = await tokenRequest(http, "grant_type=password&username=test&password=wrong");
        expect({ status: res.status, body: res.body }).toEqual({
          status: 400,
          body: { error: "access_denied", error_description: "Wrong username or password" },
        });
      }
      for (const password of ["wrong", "test"]) {
        const res = await tokenRequest(http, `grant_type=password&username=test&password=${password}`);
        expect(res.status).toBe(429);
        const body = res.body as Record<string, string>;
        expect(Object.keys(body).sort()).toEqual(["error", "error_description"]);
        expect(body.error).toBe("access_denied");
        expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
        expect(res.headers.get("set-cookie")).toBeNull();
      }
      // Other authentication is unaffected.
      expect((await http.with(bearer(limited.token)).get("/api/apps/self")).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

it("a successful login after failures below the limit resets the count", async () => {
  for (let i = 0; i < 4; i++) await tokenRequest(c.anon, "grant_type=password&username=test&password=wrong");
  await login(c, "test", "test");
  for (let i = 0; i < 4; i++) {
    const res = await tokenRequest(c.anon, "grant_type=password&username=test&password=wrong");
    expect(res.status).toBe(400);
  }
  await login(c, "test", "test");
});
