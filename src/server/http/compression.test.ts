/**
 * Compression (issue 14): API answers above 1 KB in brotli or gzip, streamed reads included;
 * none for loopback clients by default; precompressed assets served as they were built.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { precompressDir } from "../../tools/vite-precompress.js";
import { bearer, clientsFor, createObject } from "../test-http.js";
import { startTestServer, type TestServer } from "../testing.js";

/** A raw GET, so the body arrives exactly as sent (fetch would decode it). */
function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on("error", reject)
      .end();
  });
}

const servers: TestServer[] = [];
let staticDir: string;
const BUNDLE = `console.log(${JSON.stringify("x".repeat(5000))});`;

beforeAll(async () => {
  staticDir = mkdtempSync(join(tmpdir(), "heedy-explorer-static-"));
  mkdirSync(join(staticDir, "assets"));
  writeFileSync(join(staticDir, "index.html"), "<!doctype html><title>app</title>");
  writeFileSync(join(staticDir, "assets", "main-abc.js"), BUNDLE);
  precompressDir(staticDir);
  servers.push(await startTestServer({ compression: "on", staticDir }));
  servers.push(await startTestServer({ staticDir }));
});
afterAll(async () => {
  for (const s of servers) await s.close();
  rmSync(staticDir, { recursive: true, force: true });
});

async function seriesWith(server: TestServer, n: number): Promise<string> {
  const c = await clientsFor(server);
  const obj = await createObject(c.app, { name: "big" });
  const points = Array.from({ length: n }, (_, i) => ({ t: i + 1, d: i * 1.5 }));
  expect((await c.app.post(`/api/objects/${obj.id}/timeseries`, points)).status).toBe(200);
  return obj.id as string;
}

describe("API compression", () => {
  it("encodes a streamed read in brotli or gzip, decoding to the same JSON", async () => {
    const server = servers[0]!;
    // Enough points that the read streams in several pieces.
    const id = await seriesWith(server, 50_000);
    const url = `${server.url}/api/objects/${id}/timeseries`;
    const auth = bearer(server.token);
    const plain = await rawGet(url, auth);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    const br = await rawGet(url, { ...auth, "accept-encoding": "gzip, br" });
    expect(br.headers["content-encoding"]).toBe("br");
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    expect(br.body.length).toBeLessThan(plain.body.length / 3);
    const gz = await rawGet(url, { ...auth, "accept-encoding": "gzip" });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
  });

  it("leaves small answers alone", async () => {
    const server = servers[0]!;
    const res = await rawGet(`${server.url}/api/server/version`, { "accept-encoding": "gzip, br" });
    expect(res.headers["content-encoding"]).toBeUndefined();
  });

  it("sends loopback clients plain answers by default", async () => {
    const server = servers[1]!;
    const id = await seriesWith(server, 5_000);
    const res = await rawGet(`${server.url}/api/objects/${id}/timeseries`, {
      ...bearer(server.token),
      "accept-encoding": "gzip, br",
    });
    expect(res.headers["content-encoding"]).toBeUndefined();
    expect(JSON.parse(res.body.toString())).toHaveLength(5_000);
  });
});

describe("precompressed assets", () => {
  it.each([0, 1])("serves the built .br and .gz files (server %i)", async (i) => {
    const server = servers[i]!;
    const url = `${server.url}/assets/main-abc.js`;
    const br = await rawGet(url, { "accept-encoding": "gzip, br" });
    expect(br.headers["content-encoding"]).toBe("br");
    expect(brotliDecompressSync(br.body).toString()).toBe(BUNDLE);
    const gz = await rawGet(url, { "accept-encoding": "gzip" });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gz.body).toString()).toBe(BUNDLE);
    const raw = await rawGet(url, {});
    expect(raw.body.toString()).toBe(BUNDLE);
  });
});
