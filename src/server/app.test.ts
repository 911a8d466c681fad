import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "./app.js";
import { startTestServer, type TestServer } from "./testing.js";

let server: TestServer;
let proxy: FastifyInstance;
let proxyUrl: string;
const appDir = mkdtempSync(join(tmpdir(), "heedy-explorer-static-"));

beforeAll(async () => {
  writeFileSync(join(appDir, "index.html"), "<!doctype html><title>explorer</title>");
  mkdirSync(join(appDir, "assets"));
  writeFileSync(join(appDir, "assets", "app-1234.js"), "console.log(1)");
  writeFileSync(join(appDir, "assets", "schema.worker-Ab_9-x.js"), "postMessage(1)");
  server = await startTestServer();
  proxy = await buildApp({ upstream: server.url, staticDir: appDir });
  await proxy.listen({ host: "127.0.0.1", port: 0 });
  const a = proxy.server.address();
  proxyUrl = `http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}`;
});

afterAll(async () => {
  await proxy.close();
  await server.close();
  rmSync(appDir, { recursive: true, force: true });
});

describe("static app", () => {
  it("serves index.html at / and for unknown non-API paths, assets with long caching", async () => {
    for (const path of ["/", "/objects/abc", "/some/deep/route?x=1"]) {
      const res = await fetch(`${proxyUrl}${path}`);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain("<title>explorer</title>");
      // Upstream mode: the heedy server behind states its own capabilities (http/app-page.ts).
      expect(html).not.toContain("heedy-explorer-capabilities");
      expect(res.headers.get("cache-control")).toBe("no-cache");
      expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
    }
    const asset = await fetch(`${proxyUrl}/assets/app-1234.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toContain("immutable");
    expect(asset.headers.get("content-security-policy")).not.toContain("unsafe-eval");
    const missing = await fetch(`${proxyUrl}/assets/gone-999.js`);
    expect(missing.status).toBe(404);
  });
});

describe("content security policy", () => {
  it("forbids eval on pages and allows it only in the schema worker's own script", async () => {
    const page = await fetch(`${proxyUrl}/`);
    const policy = page.headers.get("content-security-policy") ?? "";
    expect(policy).toMatch(/^default-src 'self'/);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain("unsafe-eval");
    const worker = await fetch(`${proxyUrl}/assets/schema.worker-Ab_9-x.js`);
    expect(worker.status).toBe(200);
    expect(worker.headers.get("content-security-policy")).toBe(
      "default-src 'self'; script-src 'self' 'unsafe-eval'; connect-src 'none'",
    );
  });
});

describe("upstream mode", () => {
  it("forwards /api with the bearer token and relays the answer", async () => {
    const res = await fetch(`${proxyUrl}/api/objects?app=self`, {
      headers: { authorization: `Bearer ${server.token}`, "content-type": "application/json" },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([]);
  });

  it("forwards bodies and error answers unchanged", async () => {
    const created = await fetch(`${proxyUrl}/api/objects`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.token}` },
      body: JSON.stringify({ name: "via proxy", type: "timeseries", tags: "a b" }),
    });
    expect(created.status).toBe(200);
    expect(await created.json()).toMatchObject({ name: "via proxy", tags: "a b", access: "*" });
    const refused = await fetch(`${proxyUrl}/api/objects?bogus=1`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      error: "schema",
      error_description: 'invalid path "bogus"',
    });
  });

  it("forwards /auth form logins and relays the session cookie", async () => {
    const res = await fetch(`${proxyUrl}/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=password&username=test&password=test",
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^token=[^;]+; Path=\//);
    expect(cookie).toContain("HttpOnly");
    const me = await fetch(`${proxyUrl}/api/users/test`, { headers: { cookie: cookie.split(";")[0]! } });
    expect(await me.json()).toMatchObject({ username: "test" });
  });

  it("answers a clear 502 when the upstream is down", async () => {
    const dead = await buildApp({ upstream: "http://127.0.0.1:1" });
    const res = await dead.inject({ method: "GET", url: "/api/objects" });
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({ error: "upstream_unreachable" });
    await dead.close();
  });
});

describe("request log", () => {
  it("logs each request with ?access_token= redacted", async () => {
    const lines: string[] = [];
    const stream = { write: (line: string) => lines.push(line) };
    const logged = await buildApp({ ctx: server.ctx, logger: { level: "info", stream } });
    const res = await logged.inject({
      method: "GET",
      url: `/api/objects?access_token=${server.token}&app=self`,
    });
    expect(res.statusCode).toBe(200);
    await logged.close();
    const requestLines = lines.filter((l) => l.includes('"request"'));
    expect(requestLines).toHaveLength(1);
    expect(requestLines[0]).toContain("/api/objects?access_token=[redacted]&app=self");
    expect(lines.join("\n")).not.toContain(server.token);
  });
});
