/** Secrets never reach the log (issue 10): the info-level log of a real server, captured. */
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.js";
import { openDataDir } from "../data-dir.js";
import { Http } from "../test-http.js";
import { startTestServer, type TestServer } from "../testing.js";
import { redactUrl } from "./security.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ token: "tok-SECRET-app-token" });
});
afterAll(() => server.close());

describe("redactUrl", () => {
  it("hides every secret parameter, whatever the case or percent-encoding of its name", () => {
    expect(redactUrl("/auth/token?grant_type=password&username=u&password=hunter2")).toBe(
      "/auth/token?grant_type=password&username=u&password=[redacted]",
    );
    expect(redactUrl("/api/x?%61ccess_token=abc&Access_Token=def&a=1")).toBe(
      "/api/x?%61ccess_token=[redacted]&Access_Token=[redacted]&a=1",
    );
    for (const name of ["token", "refresh_token", "client_secret", "code", "pass%77ord"]) {
      expect(redactUrl(`/p?${name}=s3cret`)).toBe(`/p?${name}=[redacted]`);
    }
    expect(redactUrl("/api/objects?limit=5")).toBe("/api/objects?limit=5");
    expect(redactUrl("/api/objects")).toBe("/api/objects");
  });
});

describe("the request log", () => {
  it("at info level shows requests but no password, token, cookie or plugin key", async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const ctx = await openDataDir(server.dataDir, "test");
    ctx.authFailureDelayMs = 1;
    const app = await buildApp({ ctx, logger: { level: "info", stream } });
    await app.listen({ host: "127.0.0.1", port: 0 });
    try {
      const address = app.server.address();
      const http = new Http(`http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`);
      const login = await http.req(
        "POST",
        "/auth/token?grant_type=password&username=test&password=test-PASSWORD-in-query",
      );
      expect(login.status).toBe(400);
      const good = await http.req("POST", "/auth/token?grant_type=password&username=test&password=test");
      expect(good.status).toBe(200);
      const session = (good.body as { access_token: string }).access_token;
      expect((await http.get("/api/apps/self?%61ccess_token=tok-SECRET-app-token")).status).toBe(200);
      expect((await http.get("/api/apps/self?access_token=tok-SECRET-app-token")).status).toBe(200);
      await http.get("/api/apps/self", { headers: { authorization: "Bearer tok-SECRET-app-token" } });
      await http.get("/api/users/test", { headers: { cookie: `token=${session}` } });
      await http.get("/api/users", { headers: { "x-heedy-key": server.pluginKey } });
      await http.req("POST", "/auth/token", {
        raw: "grant_type=password&username=test&password=form-PASSWORD",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      const log = lines.join("");
      expect(log).not.toMatch(/password=(?!\[redacted\])/);
      expect(log).toContain('"url":"/auth/token?grant_type=password&username=test&password=[redacted]"');
      expect(log).toContain('"url":"/api/apps/self?%61ccess_token=[redacted]"');
      for (const secret of ["PASSWORD", "tok-SECRET-app-token", session, server.pluginKey]) {
        expect(log).not.toContain(secret);
      }
    } finally {
      await app.close();
      await ctx.store.close();
    }
  });
});
