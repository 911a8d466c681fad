import { request } from "node:http";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "./app.js";
import { heedyError } from "./test-http.js";
import { TestSocket } from "./test-ws.js";
import { startTestServer, type TestServer } from "./testing.js";
import { forwardedHeaders } from "./upstream-events.js";

let server: TestServer;
let proxy: FastifyInstance;
let proxyPort: number;
const auth = () => ({ authorization: `Bearer ${server.token}` });

beforeAll(async () => {
  server = await startTestServer();
  proxy = await buildApp({ upstream: server.url });
  await proxy.listen({ host: "127.0.0.1", port: 0 });
  const a = proxy.server.address();
  proxyPort = typeof a === "object" && a ? a.port : 0;
});

afterAll(async () => {
  await proxy.close();
  await server.close();
});

/**
 * A request whose target is sent exactly as written: fetch and URL would resolve `..` and refuse
 * absolute-form targets on the client side, which is what these tests must get past.
 */
function rawRequest(method: string, target: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port: proxyPort, method, path: target, headers: auth() },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => {
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // Not JSON: keep the text for the assertion message.
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("upstream proxy", () => {
  it("streams a 20 MB insert through to the heedy server, which stores every point", async () => {
    const created = await fetch(`http://127.0.0.1:${proxyPort}/api/objects`, {
      method: "POST",
      headers: auth(),
      body: JSON.stringify({ name: "big", type: "timeseries" }),
    });
    expect(created.status).toBe(200);
    const { id } = (await created.json()) as { id: string };
    const n = 800_000;
    const parts: string[] = new Array(n);
    for (let i = 0; i < n; i++) parts[i] = `{"t":${1_600_000_000 + i},"d":${i * 0.25}}`;
    const body = `[${parts.join(",")}]`;
    // Five times the old 4 MB proxy limit, which refused inserts heedy accepts.
    expect(body.length).toBeGreaterThan(20 * 1024 * 1024);
    const inserted = await fetch(`http://127.0.0.1:${proxyPort}/api/objects/${id}/timeseries`, {
      method: "POST",
      headers: { ...auth(), "content-type": "application/json" },
      body,
    });
    expect({ status: inserted.status, body: await inserted.json() }).toEqual({
      status: 200,
      body: { result: "ok" },
    });
    const length = await fetch(`http://127.0.0.1:${proxyPort}/api/objects/${id}/timeseries/length`, {
      headers: auth(),
    });
    expect(await length.text()).toBe(String(n));
    // Checked on the heedy server directly, not only through the proxy.
    expect(await server.ctx.store.timeseries.length(id)).toBe(n);
    const last = await fetch(`${server.url}/api/objects/${id}/timeseries?i=-1`, { headers: auth() });
    expect(await last.json()).toEqual([{ t: 1_600_000_000 + n - 1, d: (n - 1) * 0.25 }]);
  }, 120_000);

  it("refuses absolute-form request targets instead of forwarding them to another host", async () => {
    for (const target of [`http://127.0.0.1:1/api/objects`, `${server.url}/api/objects`]) {
      const res = await rawRequest("GET", target);
      expect(res).toEqual({
        status: 400,
        body: heedyError("bad_request", "The request target must be a path starting with /"),
      });
    }
  });

  it("refuses dot segments in any spelling", async () => {
    for (const target of [
      "/api/../auth/token",
      "/api/objects/..",
      "/api/%2e%2e/users",
      "/api/%2E%2e/users",
      "/api/.%2e/users",
      "/api/./objects",
      "/api/x%2f..%2fusers",
      "/auth/..",
      "/assets/../index.html",
    ]) {
      const res = await rawRequest("GET", target);
      expect(res, target).toEqual({
        status: 400,
        body: heedyError("bad_request", "The request path must not contain . or .. segments"),
      });
    }
  });

  it("forwards a normalised path and keeps the query", async () => {
    const direct = await fetch(`${server.url}/api/objects?app=self`, { headers: auth() });
    const expected = await direct.json();
    expect(expected).toEqual([expect.objectContaining({ name: "big" })]);
    expect(await rawRequest("GET", "/api//objects?app=self")).toEqual({ status: 200, body: expected });
    expect(await rawRequest("GET", "/api/objects?app=")).toEqual({ status: 200, body: [] });
  });
});

describe("upstream proxy: the events socket", () => {
  const proxyUrl = () => `http://127.0.0.1:${proxyPort}`;
  const sockets: TestSocket[] = [];
  const open = async (headers: Record<string, string>, query = "") => {
    const s = await TestSocket.open(proxyUrl(), headers, query);
    sockets.push(s);
    return s;
  };
  afterAll(() => {
    for (const s of sockets) s.close();
  });

  async function newObject(): Promise<string> {
    const res = await fetch(`${server.url}/api/objects`, {
      method: "POST",
      headers: auth(),
      body: JSON.stringify({ name: "watched", type: "timeseries" }),
    });
    return ((await res.json()) as { id: string }).id;
  }

  it("relays commands and events both ways, for a token in the header or the query", async () => {
    const id = await newObject();
    const byHeader = await open(auth());
    const byQuery = await open({}, `?access_token=${server.token}`);
    for (const s of [byHeader, byQuery]) {
      s.send({ cmd: "subscribe", event: "timeseries_data_write", object: id });
      await s.sync();
    }
    // Written on the heedy server directly: the event comes from there, through the proxy.
    const write = await fetch(`${server.url}/api/objects/${id}/timeseries`, {
      method: "POST",
      headers: auth(),
      body: JSON.stringify([{ t: 3, d: 1 }]),
    });
    expect(write.status).toBe(200);
    for (const s of [byHeader, byQuery]) {
      await s.until(() => s.events().length > 0);
      expect(s.events()).toEqual([
        expect.objectContaining({
          event: "timeseries_data_write",
          object: id,
          data: { t1: 3, t2: 3, count: 1 },
        }),
      ]);
    }
  });

  it("answers a refused upgrade with the upstream's own status", async () => {
    await expect(open({ authorization: "Bearer wrong" })).rejects.toThrow("HTTP 401");
  });

  it("relays the upstream's close code and reason", async () => {
    const s = await open(auth());
    s.send({ cmd: "subscribe", event: "*", user: "someone-else" });
    await s.until(() => s.closed !== undefined);
    expect(s.closed).toEqual({ code: 1011, reason: "Can't subscribe to another user's events" });
  });

  it("takes a session cookie from this server's own pages only", async () => {
    const login = await fetch(`${proxyUrl()}/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "password", username: "test", password: "test" }).toString(),
    });
    expect(login.status).toBe(200);
    const { access_token } = (await login.json()) as { access_token: string };
    const cookie = `token=${access_token}`;
    await expect(open({ cookie, origin: "https://evil.example" })).rejects.toThrow("HTTP 403");
    const s = await open({ cookie, origin: proxyUrl() });
    s.send({ cmd: "subscribe", event: "*", user: "test" });
    await s.sync();
    expect(s.closed).toBeUndefined();
    const id = await newObject();
    await s.until(() => s.events().some((e) => e.object === id));
    expect(s.events().find((e) => e.object === id)).toMatchObject({ event: "object_create", user: "test" });
  });

  it("caps the relayed sockets of one address, and frees a place when one closes", async () => {
    const capped = await buildApp({ upstream: server.url, limits: { eventSockets: 2 } });
    await capped.listen({ host: "127.0.0.1", port: 0 });
    try {
      const a = capped.server.address();
      const url = `http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}`;
      const [one, two] = [await TestSocket.open(url, auth()), await TestSocket.open(url, auth())];
      await expect(TestSocket.open(url, auth())).rejects.toThrow("HTTP 429");
      one.close();
      await one.until(() => one.closed !== undefined);
      // Upgrades the upstream refuses hold no place: each is the upstream's 401, never our 429.
      for (let i = 0; i < 3; i++) {
        await expect(TestSocket.open(url, { authorization: "Bearer wrong" })).rejects.toThrow("HTTP 401");
      }
      const three = await TestSocket.open(url, auth());
      await three.sync();
      expect(three.closed).toBeUndefined();
      two.close();
      three.close();
    } finally {
      await capped.close();
    }
  });

  it("says the upstream is unreachable when it is", async () => {
    const lonely = await buildApp({ upstream: "http://127.0.0.1:1" });
    await lonely.listen({ host: "127.0.0.1", port: 0 });
    try {
      const a = lonely.server.address();
      const port = typeof a === "object" && a ? a.port : 0;
      await expect(TestSocket.open(`http://127.0.0.1:${port}`, auth())).rejects.toThrow("HTTP 502");
    } finally {
      await lonely.close();
    }
  });
});

describe("upstream proxy: the socket's forwarded headers", () => {
  // What the relay sends the upstream, for a request as fastify presents it.
  const upgrade = (headers: Record<string, string>) =>
    ({ headers, protocol: "http", host: "proxy.local:1324" }) as unknown as FastifyRequest;

  it("carries the cookie only from this server's own pages, presented with the upstream's origin", () => {
    const own = forwardedHeaders(
      upgrade({ cookie: "token=s", origin: "http://proxy.local:1324", host: "proxy.local:1324" }),
      "http://heedy.local",
    );
    expect(own).toMatchObject({ cookie: "token=s", origin: "http://heedy.local" });
    expect(own.host).toBeUndefined();
  });

  it("drops the cookie of another site's page, whatever token its query seems to carry", () => {
    // heedy's query parser drops `access_token=%zz` and would fall back to the cookie.
    const foreign = forwardedHeaders(
      upgrade({ cookie: "token=s", origin: "http://localhost:3000", "sec-fetch-site": "same-site" }),
      "http://heedy.local",
    );
    expect(foreign.cookie).toBeUndefined();
    expect(foreign.origin).toBe("http://localhost:3000");
  });
});
