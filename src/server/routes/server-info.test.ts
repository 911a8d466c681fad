/**
 * /api/server/* (contract 10, decision 6), unknown routes and methods (1.1), and the response
 * headers every answer carries (1.2, security headers), over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Clients, clientsFor, expectError, type Http, login } from "../test-http.js";
import { startTestServer, type TestServer } from "../testing.js";

let server: TestServer;
let c: Clients;
let user: Http;

beforeAll(async () => {
  server = await startTestServer();
  c = await clientsFor(server);
  user = await login(c, "test", "test");
});
afterAll(() => server.close());

const NOT_AVAILABLE = "The given endpoint is not available";

describe("/api/server", () => {
  it("version is plain text, for everyone", async () => {
    for (const http of [c.anon, user, c.app]) {
      const res = await http.get("/api/server/version");
      expect(res.status).toBe(200);
      expect(res.text).toBe("0.6.0");
      expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    }
  });

  it("capabilities lists this server's extensions (decision 6)", async () => {
    for (const http of [c.anon, user, c.app]) {
      const res = await http.get("/api/server/capabilities");
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        server: "heedy-explorer",
        version: "test",
        extensions: [
          "timeseries.plot",
          "users.admins",
          "timeseries.replace",
          "objects.modified_time",
          "timeseries.aggregate",
        ],
      });
    }
  });

  it("scope is the catalogue of 7.1 for users", async () => {
    const res = await user.get("/api/server/scope");
    expect(res.status).toBe(200);
    const catalogue = res.body as Record<string, string>;
    for (const scope of [
      "*",
      "owner",
      "owner:read",
      "users:read",
      "self.objects",
      "self.objects:create",
      "self.objects:read",
      "self.objects.timeseries",
      "objects",
      "objects:read",
      "objects.timeseries",
      "shared",
      "shared.timeseries",
    ]) {
      expect(typeof catalogue[scope], scope).toBe("string");
    }
    expect(Object.values(catalogue).every((d) => typeof d === "string" && d.length > 0)).toBe(true);
    expect((await user.get("/api/server/scope/timeseries")).body).toEqual({});
  });

  it("scope is refused to apps and public with a 403", async () => {
    for (const http of [c.app, c.anon]) {
      expectError(
        await http.get("/api/server/scope"),
        403,
        "server_error",
        "Only logged in users can list scope",
      );
      expectError(
        await http.get("/api/server/scope/timeseries"),
        403,
        "server_error",
        "Only logged in users can list scope",
      );
    }
  });
});

describe("unknown routes and methods", () => {
  it("anything under /api that matches no route is 404 not_found JSON, never 405", async () => {
    const cases: [string, string][] = [
      ["GET", "/api/nothing"],
      ["GET", "/api"],
      ["GET", "/api/objects/x/y/z"],
      ["PUT", "/api/objects"],
      ["DELETE", "/api/objects"],
      ["PATCH", "/api/users"],
      ["POST", "/api/server/version"],
      ["DELETE", "/api/server/scope"],
      ["PUT", "/api/apps/self"],
      ["GET", "/api/users/self/export/x"],
      ["GET", "/auth/nothing"],
    ];
    for (const [method, path] of cases) {
      const res = await c.app.req(method, path);
      expect({ method, path, status: res.status, body: res.body }).toEqual({
        method,
        path,
        status: 404,
        body: {
          error: "not_found",
          error_description: NOT_AVAILABLE,
          id: expect.stringMatching(/^[0-9a-v]{20}$/),
        },
      });
      expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    }
  });

  it("unknown non-API paths get Go's plain-text 404", async () => {
    for (const path of ["/nothing", "/static/none.js", "/apix"]) {
      const res = await c.anon.get(path);
      expect(res.status).toBe(404);
      expect(res.text).toBe("404 page not found\n");
      expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    }
  });
});

describe("response headers", () => {
  it("JSON answers, success and error, are application/json; charset=utf-8 and no-store", async () => {
    for (const res of [
      await c.app.get("/api/objects"),
      await c.app.get("/api/objects/missing"),
      await c.anon.get("/api/apps"),
    ]) {
      expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(res.headers.get("cache-control")).toBe("no-store");
    }
  });

  it("no CORS headers are sent", async () => {
    const res = await c.app.get("/api/objects", { headers: { origin: "https://evil.example" } });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("every answer carries the security headers", async () => {
    for (const res of [
      await c.app.get("/api/objects"),
      await c.anon.get("/api/server/version"),
      await c.anon.get("/nothing"),
      await c.anon.with({ authorization: "Basic x" }).get("/api/objects"),
      await c.anon.req("POST", "/auth/token", { raw: "grant_type=x" }),
    ]) {
      const csp = res.headers.get("content-security-policy")!;
      const directives = csp.split(";").map((d) => d.trim());
      expect(directives).toContain("default-src 'self'");
      expect(directives).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain("unsafe-eval");
      expect(csp).not.toContain("unsafe-inline");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    }
  });
});

describe("request bodies", () => {
  // heedy silently truncates at 4,000,000 bytes (request_body_byte_limit), so the JSON then fails
  // to parse (400). This server refuses the body outright with 413, in heedy's error shape.
  it("a body over the 4,000,000-byte limit is a heedy-shaped JSON error, not a 500", async () => {
    const big = JSON.stringify({ name: "x".repeat(4_000_000), type: "timeseries" });
    const res = await c.app.req("POST", "/api/objects", {
      raw: big,
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({
      error: "bad_request",
      error_description: "The request body is larger than 4000000 bytes",
      id: expect.stringMatching(/^[0-9a-v]{20}$/),
    });
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    // A body just under the limit is read normally (and here refused for its content).
    const under = JSON.stringify({ name: "x", type: "timeseries", description: "d".repeat(3_999_000) });
    const ok = await c.app.req("POST", "/api/objects", {
      raw: under,
      headers: { "content-type": "application/json" },
    });
    expect(ok.status).toBe(200);
  });

  it("malformed JSON is a 400 with the heedy error shape", async () => {
    const res = await c.app.req("PATCH", "/api/apps/self", {
      raw: '{"name":',
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: expect.any(String),
      error_description: expect.any(String),
      id: expect.stringMatching(/^[0-9a-v]{20}$/),
    });
  });

  it("a JSON body sent as a form (curl -d) is still read as JSON (1.6: Content-Type is not checked)", async () => {
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const made = await c.app.req("POST", "/api/objects", {
      raw: JSON.stringify({ name: "curl", type: "timeseries" }),
      headers: form,
    });
    expect(made.status, made.text).toBe(200);
    expect(made.body).toMatchObject({ name: "curl" });
    const kv = await c.app.req("POST", "/api/kv/apps/self/self", { raw: '{"a":1}', headers: form });
    expect(kv.status, kv.text).toBe(200);
    expect((await c.app.get("/api/kv/apps/self/self")).body).toEqual({ a: 1 });
  });

  it("/auth/token ignores bodies that are not forms, whatever they contain (2.4)", async () => {
    for (const [type, raw] of [
      ["text/plain", "grant_type=password&username=test&password=test"],
      ["application/json", "not json at all"],
      ["application/json", '{"grant_type":"password","username":"test","password":"test"}'],
    ] as const) {
      const res = await c.anon.req("POST", "/auth/token", { raw, headers: { "content-type": type } });
      expect({ type, raw, status: res.status, body: res.body }).toEqual({
        type,
        raw,
        status: 400,
        body: { error: "unsupported_grant_type", error_description: "Grant type not supported" },
      });
    }
  });

  it("Content-Type is not checked and an empty body is no body (1.6)", async () => {
    const res = await c.app.req("PATCH", "/api/apps/self", {
      raw: JSON.stringify({ description: "via text/plain" }),
      headers: { "content-type": "text/plain" },
    });
    expect(res.status).toBe(200);
    expect((await c.app.get("/api/apps/self")).body).toMatchObject({ description: "via text/plain" });
    const empty = await c.app.req("PATCH", "/api/apps/self", {
      raw: "",
      headers: { "content-type": "application/json" },
    });
    expectError(empty, 400, "nop", "Nothing to update");
  });
});
