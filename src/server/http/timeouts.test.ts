/** Slow senders are cut off and the connection cap holds, with heedy-shaped answers (issue 10). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing.js";
import { openSocket, readResponse } from "./raw-socket.js";
import { SECURITY_HEADERS } from "./security.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const heedyShape = (error: string) => ({
  error,
  error_description: expect.any(String),
  id: expect.stringMatching(/^[0-9a-v]{20}$/),
});

describe("timeouts", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      limits: { body_idle_timeout_ms: 300, request_timeout_ms: 1200, headers_timeout_ms: 400 },
    });
  });
  afterAll(() => server.close());

  const head = (length: number) =>
    `POST /api/objects HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${server.token}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

  it("a body that stops arriving is answered 408 and the connection closed", async () => {
    const socket = await openSocket(server.url);
    const response = readResponse(socket);
    socket.write(`${head(100)}{"name":`);
    const res = await response;
    expect(res.status).toBe(408);
    expect(res.body).toEqual(heedyShape("request_timeout"));
    expect(res.headers["content-security-policy"]).toBe(SECURITY_HEADERS["content-security-policy"]);
    expect(res.closed).toBe(true);
    expect(res.ms).toBeGreaterThanOrEqual(250);
  });

  it("a body trickling in forever is cut off by the request timeout", async () => {
    const socket = await openSocket(server.url);
    const response = readResponse(socket, 5000);
    socket.write(`${head(1000)}[`);
    let stop = false;
    const trickle = (async () => {
      // Never silent for long enough to trip the idle timeout.
      while (!stop && !socket.destroyed) {
        await sleep(100);
        if (!socket.destroyed) socket.write(" ");
      }
    })();
    const res = await response;
    stop = true;
    await trickle;
    expect(res.status).toBe(408);
    expect(res.body).toEqual(heedyShape("request_timeout"));
    expect(res.closed).toBe(true);
    expect(res.ms).toBeGreaterThanOrEqual(1100);
  });

  it("headers that never finish are answered 408", async () => {
    const socket = await openSocket(server.url);
    const response = readResponse(socket);
    socket.write("GET /api/server/version HTTP/1.1\r\nHost: x\r\n");
    const res = await response;
    expect(res.status).toBe(408);
    expect(res.body).toEqual(heedyShape("request_timeout"));
    expect(res.closed).toBe(true);
  });

  it("a prompt request on the same server is unaffected", async () => {
    const res = await fetch(`${server.url}/api/server/version`);
    expect(res.status).toBe(200);
  });
});

describe("connection cap", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ limits: { max_connections: 2 } });
  });
  afterAll(() => server.close());

  it("a connection over the cap is answered 503 and closed; the server keeps serving", async () => {
    const held = [await openSocket(server.url), await openSocket(server.url)];
    // Let the server count both before the third arrives.
    await sleep(50);
    const extra = await openSocket(server.url);
    const refused = await readResponse(extra);
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual(heedyShape("unavailable"));
    expect(refused.headers["x-content-type-options"]).toBe("nosniff");
    expect(refused.closed).toBe(true);

    // The held connections still work.
    const first = held[0]!;
    const answer = readResponse(first);
    first.write("GET /api/server/version HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    expect((await answer).status).toBe(200);

    for (const s of held) s.destroy();
    await sleep(50);
    const res = await fetch(`${server.url}/api/server/version`, { headers: { connection: "close" } });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
