/**
 * One path form and heedy-shaped errors for everything fastify or Node reject themselves
 * (issue 10): the router's match decides authentication, odd targets are refused, never a 5xx.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Clients, clientsFor, createObject, expectError } from "../test-http.js";
import { startTestServer, type TestServer } from "../testing.js";
import { rawRequest } from "./raw-socket.js";
import { SECURITY_HEADERS } from "./security.js";

let server: TestServer;
let c: Clients;
let objectId: string;

beforeAll(async () => {
  server = await startTestServer();
  c = await clientsFor(server);
  objectId = (await createObject(c.app, { name: "series" })).id as string;
});
afterAll(() => server.close());

const heedyShape = (error: string, description: unknown = expect.any(String)) => ({
  error,
  error_description: description,
  id: expect.stringMatching(/^[0-9a-v]{20}$/),
});

function expectSecurityHeaders(headers: Record<string, string> | Headers) {
  const get = (k: string) => (headers instanceof Headers ? headers.get(k) : headers[k]);
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) expect(get(k), k).toBe(v);
}

describe("a percent-encoded spelling of an API path", () => {
  it("is routed and authenticated exactly like the plain path", async () => {
    const plain = await c.app.get("/api/objects?app=self");
    const encoded = await c.app.get("/%61pi/objects?app=self");
    expect(encoded.status).toBe(200);
    expect(encoded.body).toEqual(plain.body);
    expect((await c.app.get(`/%61pi/objects/${objectId}`)).body).toMatchObject({ id: objectId });
  });

  it("fails authentication like the plain path", async () => {
    const bad = c.anon.with({ authorization: "Bearer nope" });
    const res = await bad.get("/%61pi/objects");
    expect({ status: res.status, body: res.body }).toEqual({
      status: 401,
      body: { error: "access_denied", error_description: "access_denied: invalid API key" },
    });
    const anon = await c.anon.get(`/%61pi/objects/${objectId}/timeseries`);
    expectError(anon, 403, "not_found", "The selected resource was not found");
    expect(await c.anon.post(`/ap%69/objects/${objectId}/timeseries`, [{ t: 1, d: 1 }])).toMatchObject({
      status: 403,
    });
  });

  it("of the login form is still the login form", async () => {
    const res = await c.anon.req("POST", "/%61uth/token", {
      raw: "grant_type=password&username=test&password=test",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: "bearer" });
  });

  it("of an unknown API path is the API's JSON 404", async () => {
    const res = await c.app.get("/%61pi/nothing-here");
    expectError(res, 404, "not_found", "The given endpoint is not available");
    expectSecurityHeaders(res.headers);
  });
});

describe("request targets", () => {
  it("absolute-form is refused with 400, never routed", async () => {
    const { host } = new URL(server.url);
    for (const target of [`http://${host}/api/objects`, `http://elsewhere.example/api/objects`]) {
      const res = await rawRequest(
        server.url,
        `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${server.token}\r\n` +
          "Connection: close\r\n\r\n",
      );
      expect(res.status).toBe(400);
      expect(res.body).toEqual(
        heedyShape("bad_request", "The request target must be a path starting with /"),
      );
      expectSecurityHeaders(res.headers);
    }
  });

  it("a path with broken percent-encoding is a heedy-shaped 400", async () => {
    const res = await rawRequest(
      server.url,
      "GET /api/objects/%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    expect(res.status).toBe(400);
    expect(res.body).toEqual(heedyShape("bad_request"));
    expectSecurityHeaders(res.headers);
  });

  it("a HEAD the router refuses gets headers only, and the connection stays parseable", async () => {
    // Found by the HTTP fuzz: a body after a HEAD answer broke the client's parser.
    const res = await fetch(`${server.url}/api/objects/${"x".repeat(600)}`, { method: "HEAD" });
    expect(res.status).toBe(400);
    expect(await res.text()).toBe("");
    expectSecurityHeaders(res.headers);
  });

  it("duplicate slashes reach no route", async () => {
    const res = await c.app.get("//api/objects");
    expect(res.status).toBe(404);
    expectSecurityHeaders(res.headers);
  });
});

describe("what Node rejects before fastify", () => {
  it("headers over the limit: 431", async () => {
    const res = await rawRequest(
      server.url,
      `GET /api/objects HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`,
    );
    expect(res.status).toBe(431);
    expect(res.body).toEqual(heedyShape("bad_request"));
    expectSecurityHeaders(res.headers);
    expect(res.closed).toBe(true);
  });

  it("a URL over the limit: 414", async () => {
    const res = await rawRequest(
      server.url,
      `GET /api/objects?x=${"a".repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    );
    expect(res.status).toBe(414);
    expect(res.body).toEqual(heedyShape("bad_request"));
    expectSecurityHeaders(res.headers);
  });

  it("a malformed request line: 400", async () => {
    for (const line of ["GARBAGE\r\n\r\n", "GET /api/objects HTTP/9.9\r\n\r\n", "GET  HTTP/1.1\r\n\r\n"]) {
      const res = await rawRequest(server.url, line);
      expect(res.status, line).toBe(400);
      expect(res.body).toEqual(heedyShape("bad_request"));
      expectSecurityHeaders(res.headers);
    }
  });

  it("bad bodies are 400s with the headers, never 5xx", async () => {
    const bad = await c.app.req("POST", `/api/objects/${objectId}/timeseries`, { raw: "[{" });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual(heedyShape("server_error"));
    expectSecurityHeaders(bad.headers);
    const { host } = new URL(server.url);
    const short = await rawRequest(
      server.url,
      `POST /api/objects HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${server.token}\r\n` +
        "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    );
    expect(short.status).toBe(400);
    expect(short.body).toEqual(heedyShape("bad_request"));
  });

  it("the server still answers afterwards", async () => {
    expect((await c.app.get("/api/apps/self")).status).toBe(200);
  });
});
