import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, brotliDecompressSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing.js";
import { loadAssets, type MemoryAsset, pickEncoding } from "./memory-assets.js";
import { SECURITY_HEADERS } from "./security.js";

const SCRIPT = `export const answer = ${"42 + ".repeat(400)}0;\n`;

function appFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "heedy-memory-assets-"));
  mkdirSync(join(dir, "assets"));
  writeFileSync(join(dir, "index.html"), "<!doctype html><html><head></head><body></body></html>");
  writeFileSync(join(dir, "favicon.svg"), "<svg/>");
  writeFileSync(join(dir, "assets", "app-Ab12.js"), SCRIPT);
  writeFileSync(join(dir, "assets", "app-Ab12.js.br"), brotliCompressSync(SCRIPT));
  writeFileSync(join(dir, "assets", "app-Ab12.js.gz"), gzipSync(SCRIPT));
  writeFileSync(join(dir, "assets", "style-Cd34.css"), "body{}");
  return dir;
}

describe("loadAssets", () => {
  const dir = appFolder();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads each asset with the compressed copies beside it, and types it", () => {
    const assets = loadAssets(join(dir, "assets"));
    expect([...(assets?.keys() ?? [])].sort()).toEqual(["app-Ab12.js", "style-Cd34.css"]);
    const js = assets?.get("app-Ab12.js");
    expect(js?.type).toBe("application/javascript; charset=utf-8");
    expect(js?.identity.toString()).toBe(SCRIPT);
    expect(brotliDecompressSync(js?.br ?? Buffer.alloc(0)).toString()).toBe(SCRIPT);
    expect(js?.gzip).toBeDefined();
    expect(assets?.get("style-Cd34.css")?.br).toBeUndefined();
  });

  it("gives up on a folder larger than a build writes (served from disk then)", () => {
    expect(loadAssets(join(dir, "assets"), 100)).toBeUndefined();
  });
});

describe("pickEncoding", () => {
  const both = { br: Buffer.from("b"), gzip: Buffer.from("g") } as MemoryAsset;
  it("prefers brotli, honours q=0 and *, and answers plain bytes otherwise", () => {
    expect(pickEncoding("gzip, deflate, br", both)).toBe("br");
    expect(pickEncoding("gzip", both)).toBe("gzip");
    expect(pickEncoding("br;q=0, gzip;q=0.5", both)).toBe("gzip");
    expect(pickEncoding("*", both)).toBe("br");
    expect(pickEncoding("identity", both)).toBeUndefined();
    expect(pickEncoding(undefined, both)).toBeUndefined();
    expect(pickEncoding("br", { gzip: Buffer.from("g") } as MemoryAsset)).toBeUndefined();
  });
});

describe("the served assets", () => {
  const dir = appFolder();
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ staticDir: dir });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answer from memory with the encoding asked for, immutable, with the security headers", async () => {
    const br = await fetch(`${server.url}/assets/app-Ab12.js`, { headers: { "accept-encoding": "br" } });
    expect(br.status).toBe(200);
    expect(br.headers.get("content-encoding")).toBe("br");
    expect(br.headers.get("vary")).toBe("accept-encoding");
    expect(br.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(br.headers.get("content-security-policy")).toBe(SECURITY_HEADERS["content-security-policy"]);
    expect(await br.text()).toBe(SCRIPT);
    const plain = await fetch(`${server.url}/assets/app-Ab12.js`, {
      headers: { "accept-encoding": "identity" },
    });
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect(plain.headers.get("content-type")).toBe("application/javascript; charset=utf-8");
    expect(await plain.text()).toBe(SCRIPT);
    const head = await fetch(`${server.url}/assets/style-Cd34.css`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toBe("text/css; charset=utf-8");
  });

  it("answer a revalidation with 304, and unknown or escaping names with 404", async () => {
    const first = await fetch(`${server.url}/assets/app-Ab12.js`);
    const again = await fetch(`${server.url}/assets/app-Ab12.js`, {
      headers: { "if-none-match": first.headers.get("etag") ?? "" },
    });
    expect(again.status).toBe(304);
    for (const path of ["/assets/gone-99.js", "/assets/..%2Findex.html", "/assets/app-Ab12.js.br"]) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).toBe(404);
      await res.arrayBuffer();
    }
  });

  it("leave the rest of the folder to the static files", async () => {
    const icon = await fetch(`${server.url}/favicon.svg`);
    expect(icon.status).toBe(200);
    expect(await icon.text()).toBe("<svg/>");
  });
});
