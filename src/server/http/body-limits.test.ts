/** Bodies are bounded before they are read, and refused callers never upload them (issue 10). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, type Clients, clientsFor, createApp, createObject, expectOk } from "../test-http.js";
import { startTestServer, type TestServer } from "../testing.js";
import { DEFAULT_LIMITS, parseLimits } from "./limits.js";
import { openSocket, rawRequest, readResponse } from "./raw-socket.js";
import { SECURITY_HEADERS } from "./security.js";

let server: TestServer;
let c: Clients;
let objectId: string;
const host = () => new URL(server.url).host;

beforeAll(async () => {
  server = await startTestServer({ limits: { body_bytes: 1000, insert_body_bytes: 5000 } });
  c = await clientsFor(server);
  objectId = (await createObject(c.app, { name: "series" })).id as string;
});
afterAll(() => server.close());

/** Headers of a POST announcing `length` bytes, of which none are sent. */
const announce = (path: string, length: number, extra = "") =>
  `POST ${path} HTTP/1.1\r\nHost: ${host()}\r\nContent-Type: application/json\r\n${extra}Content-Length: ${length}\r\n\r\n`;

const heedyShape = (error: string) => ({
  error,
  error_description: expect.any(String),
  id: expect.stringMatching(/^[0-9a-v]{20}$/),
});

describe("body limits", () => {
  it("a Content-Length over the limit is 413 before any body byte is sent", async () => {
    const res = await rawRequest(
      server.url,
      announce("/api/objects", 1001, `Authorization: Bearer ${server.token}\r\n`),
    );
    expect(res.status).toBe(413);
    expect(res.body).toEqual(heedyShape("bad_request"));
    expect((res.body as { error_description: string }).error_description).toContain("1000 bytes");
    expect(res.headers["content-security-policy"]).toBe(SECURITY_HEADERS["content-security-policy"]);
    // The rest of the upload is not wanted: the connection is closed rather than drained.
    expect(res.headers.connection).toBe("close");
    expect(res.closed).toBe(true);
  });

  it("a chunked body is cut off once it passes the limit", async () => {
    const socket = await openSocket(server.url);
    const response = readResponse(socket);
    socket.write(
      `POST /api/objects HTTP/1.1\r\nHost: ${host()}\r\nAuthorization: Bearer ${server.token}\r\n` +
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
    );
    const chunk = "x".repeat(600);
    socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    // No terminating chunk: the answer must not wait for the end of the body.
    const res = await response;
    socket.destroy();
    expect(res.status).toBe(413);
    expect(res.body).toEqual(heedyShape("bad_request"));
  });

  it("a chunked insert body is cut off once it passes the insert limit", async () => {
    const socket = await openSocket(server.url);
    const response = readResponse(socket);
    socket.write(
      `POST /api/objects/${objectId}/timeseries HTTP/1.1\r\nHost: ${host()}\r\n` +
        `Authorization: Bearer ${server.token}\r\nTransfer-Encoding: chunked\r\n\r\n`,
    );
    const chunk = `[${'{"t":1,"d":1},'.repeat(400)}`;
    socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    // No terminating chunk: the answer must not wait for the end of the body.
    const res = await response;
    socket.destroy();
    expect(res.status).toBe(413);
    expect(res.body).toEqual(heedyShape("bad_request"));
  });

  it("inserts have their own limit", async () => {
    const points = Array.from({ length: 300 }, (_, i) => ({ t: i, d: i }));
    expect(JSON.stringify(points).length).toBeGreaterThan(5000);
    const big = await c.app.post(`/api/objects/${objectId}/timeseries`, points);
    expect(big.status).toBe(413);
    expect((big.body as { error_description: string }).error_description).toContain("5000 bytes");
    // Over the general limit but within the insert limit.
    const medium = points.slice(0, 80);
    expect(JSON.stringify(medium).length).toBeGreaterThan(1000);
    expectOk(await c.app.post(`/api/objects/${objectId}/timeseries`, medium));
  });
});

describe("an insert is authorised before its body is read", () => {
  const huge = 510 * 1024 * 1024;

  it("without credentials: 403 at once, as for any unreadable object", async () => {
    const res = await rawRequest(server.url, announce(`/api/objects/${objectId}/timeseries`, huge));
    expect(res.status).toBe(403);
    expect(res.body).toEqual(heedyShape("not_found"));
    expect(res.closed).toBe(true);
    expect(res.ms).toBeLessThan(2000);
  });

  it("with a bad token: the authentication 401, also on the /data alias", async () => {
    const res = await rawRequest(
      server.url,
      announce(`/api/objects/${objectId}/data`, huge, "Authorization: Bearer nope\r\n"),
    );
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: "access_denied", error_description: "access_denied: invalid API key" });
    expect(res.closed).toBe(true);
  });

  it("with read access only: 403 Insufficient permissions", async () => {
    const other = await createApp(c, "test", { scope: "objects:read" });
    const readOnly = await rawRequest(
      server.url,
      announce(`/api/objects/${objectId}/timeseries`, huge, `Authorization: Bearer ${other.token}\r\n`),
    );
    expect(readOnly.status).toBe(403);
    expect(readOnly.body).toEqual({
      ...heedyShape("access_denied"),
      error_description: "Insufficient permissions",
    });
  });

  it("a missing object is refused the same way", async () => {
    const res = await rawRequest(
      server.url,
      announce("/api/objects/nosuchobject/timeseries", huge, `Authorization: Bearer ${server.token}\r\n`),
    );
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      ...heedyShape("not_found"),
      error_description: "The selected resource was not found",
    });
  });

  it("the bearer of write access still inserts", async () => {
    const res = await c.anon.post(`/api/objects/${objectId}/timeseries`, [{ t: 1e6, d: 1 }], {
      headers: bearer(server.token),
    });
    expectOk(res);
  });
});

describe("heedy.json limits", () => {
  it("defaults apply to keys left out", () => {
    expect(parseLimits(undefined)).toEqual(DEFAULT_LIMITS);
    expect(parseLimits({ body_bytes: 10 })).toEqual({ ...DEFAULT_LIMITS, bodyBytes: 10 });
  });
  it("unknown keys and bad values are refused by name", () => {
    expect(() => parseLimits({ body_byte: 1 })).toThrow(/limits.body_byte is not a known limit/);
    expect(() => parseLimits({ body_bytes: 0 })).toThrow(/limits.body_bytes must be a whole number >= 1/);
    expect(() => parseLimits({ max_connections: "5" })).toThrow(/max_connections/);
    expect(() => parseLimits([])).toThrow(/limits must be an object/);
    expect(parseLimits({ database_bytes: 0 }).databaseBytes).toBe(0);
  });
});
