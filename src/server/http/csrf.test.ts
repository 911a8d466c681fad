/**
 * Cookie-authenticated writes must come from the server's own pages (Origin / Sec-Fetch-Site);
 * token and plugin-key clients, which send neither, are unaffected.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.js";
import { openDataDir } from "../data-dir.js";
import { bearer, type Clients, clientsFor, Http, login } from "../test-http.js";
import { startTestServer, type TestServer } from "../testing.js";

let server: TestServer;
let c: Clients;
/** User `test`'s session cookie, with no browser headers of its own. */
let cookie: Http;

const REFUSED = {
  error: "access_denied",
  error_description:
    "A request with a session cookie that changes data must come from this server's own pages",
  id: expect.stringMatching(/^[0-9a-v]{20}$/),
};

beforeAll(async () => {
  server = await startTestServer();
  c = await clientsFor(server);
  const session = await login(c, "test", "test");
  cookie = c.anon.with({ cookie: session.defaults.cookie! });
});
afterAll(() => server.close());

/** What a form on another page would send: a urlencoded-looking body the server reads as JSON. */
const formPost = (http: Http, headers: Record<string, string>) =>
  http.req("POST", "/api/objects", {
    raw: JSON.stringify({ name: "planted", type: "timeseries" }),
    headers: { "content-type": "text/plain", ...headers },
  });

describe("cookie writes", () => {
  it("a cross-origin form post with a valid cookie is refused, and nothing is created", async () => {
    const cases: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { "sec-fetch-site": "cross-site", origin: "https://evil.example" },
      // Another port of the same host is same-site: SameSite=Lax lets the cookie through.
      { origin: server.url.replace(/:\d+$/, ":1") },
      { "sec-fetch-site": "same-site" },
      { origin: "null" },
      // No browser omits both on a write; a cookie without them is not trusted.
      {},
    ];
    for (const headers of cases) {
      const res = await formPost(cookie, headers);
      expect({ status: res.status, body: res.body }, JSON.stringify(headers)).toEqual({
        status: 403,
        body: REFUSED,
      });
    }
    for (const method of ["PATCH", "DELETE", "PUT"]) {
      const res = await cookie.req(method, "/api/users/test", {
        raw: JSON.stringify({ description: "x" }),
        headers: { origin: "https://evil.example" },
      });
      expect(res.status, method).toBe(403);
    }
    const objects = await c.app.get("/api/objects");
    expect((objects.body as { name: string }[]).map((o) => o.name)).not.toContain("planted");
  });

  it("the server's own pages may write: a matching Origin, or Sec-Fetch-Site same-origin", async () => {
    const own: Record<string, string>[] = [{ origin: server.url }, { "sec-fetch-site": "same-origin" }];
    for (const headers of own) {
      const res = await cookie.patch("/api/users/test", { description: "from the app" }, { headers });
      expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: { result: "ok" } });
    }
  });

  it("reads with the cookie need no Origin", async () => {
    const res = await cookie.get("/api/users/test", { headers: { origin: "https://evil.example" } });
    expect(res.status).toBe(200);
  });

  it("bearer tokens and the plugin key write without Origin, even beside a cookie", async () => {
    const app = await c.app.post("/api/objects", { name: "by token", type: "timeseries" });
    expect(app.status).toBe(200);
    const both = await cookie
      .with(bearer(server.token))
      .post("/api/objects", { name: "token wins", type: "timeseries" });
    expect(both.status).toBe(200);
    const plugin = await c.plugin.patch("/api/users/test", { description: "by plugin" });
    expect(plugin.status).toBe(200);
  });

  it("a login from another site's page is refused; a login with no browser headers works", async () => {
    const body = "grant_type=password&username=test&password=test";
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const evil = await c.anon.req("POST", "/auth/token", {
      raw: body,
      headers: { ...form, origin: "https://evil.example" },
    });
    expect({ status: evil.status, body: evil.body }).toEqual({
      status: 403,
      body: { error: "access_denied", error_description: "Log in from this server's own pages" },
    });
    expect(evil.headers.get("set-cookie")).toBeNull();
    const script = await c.anon.req("POST", "/auth/token", { raw: body, headers: form });
    expect(script.status).toBe(200);
  });
});

describe("the session cookie", () => {
  it("is HttpOnly and SameSite=Lax, and Secure when the request came over https", async () => {
    const ctx = await openDataDir(server.dataDir, "test");
    const app = await buildApp({ ctx, trustProxy: true });
    await app.listen({ host: "127.0.0.1", port: 0 });
    try {
      const address = app.server.address();
      const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
      const res = await new Http(url).req("POST", "/auth/token", {
        raw: "grant_type=password&username=test&password=test",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-proto": "https" },
      });
      expect(res.status).toBe(200);
      const parts = res.headers.get("set-cookie")!.split("; ");
      expect(parts).toEqual(expect.arrayContaining(["HttpOnly", "SameSite=Lax", "Secure", "Path=/"]));
      const out = await new Http(url).req("POST", "/auth/logout", {
        headers: { "x-forwarded-proto": "https" },
      });
      expect(out.headers.get("set-cookie")).toBe("token=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure");
      // Behind a trusted proxy the page's origin is https; its own writes still pass.
      const token = (res.body as { access_token: string }).access_token;
      const write = await new Http(url).patch(
        "/api/users/test",
        { description: "via proxy" },
        {
          headers: {
            cookie: `token=${token}`,
            "x-forwarded-proto": "https",
            origin: url.replace("http:", "https:"),
          },
        },
      );
      expect(write.status, write.text).toBe(200);
    } finally {
      await app.close();
      await ctx.store.close();
    }
  });
});
