import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing.js";
import { appPage, CAPABILITIES_META, inlineCapabilities, matchesEtag, pagePolicy } from "./app-page.js";
import { SECURITY_HEADERS } from "./security.js";

const PAGE =
  '<!doctype html>\n<html><head><title>explorer</title>\n</head><body><div id="root"></div></body></html>';

/** A built page: the inline first script, then the app's module script (vite-inline-boot.ts). */
const BOOT = "(function(){window.booted=1})();";
const PAGE_WITH_BOOT = PAGE.replace(
  "</head>",
  `<script data-preload-x="/assets/x.js">${BOOT}</script><script type="module" src="/assets/index.js"></script></head>`,
);

const sha256 = (text: string) => createHash("sha256").update(text).digest("base64");

/** The JSON a page's capabilities meta holds, decoded as a browser would read the attribute. */
function metaContent(html: string): unknown {
  const m = new RegExp(`<meta name="${CAPABILITIES_META}" content="([^"]*)">`).exec(html);
  if (!m) return undefined;
  const text = m[1]!
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
  return JSON.parse(text);
}

describe("inlineCapabilities", () => {
  it("puts one meta before </head>, escaped so no value can end the attribute or the tag", () => {
    const caps = { server: 'a"b</head><script>x</script>&', extensions: ["timeseries.plot"] };
    const html = inlineCapabilities(PAGE, caps);
    expect(html.indexOf(CAPABILITIES_META)).toBeLessThan(html.indexOf("</head>"));
    expect(html.match(/<script/g)).toBeNull();
    expect(html.match(/<\/head>/g)).toHaveLength(1);
    expect(metaContent(html)).toEqual(caps);
  });

  it("puts it ahead of the first script, which reads it as it runs", () => {
    const html = inlineCapabilities(PAGE_WITH_BOOT, { extensions: [] });
    expect(html.indexOf(CAPABILITIES_META)).toBeLessThan(html.indexOf("<script"));
  });

  it("leaves a page without a head as it is", () => {
    expect(inlineCapabilities("<p>hi</p>", { extensions: [] })).toBe("<p>hi</p>");
  });
});

describe("pagePolicy", () => {
  it("allows the page's own inline scripts by hash and nothing else inline", () => {
    const policy = pagePolicy(PAGE_WITH_BOOT);
    expect(policy).toBe(
      `${SECURITY_HEADERS["content-security-policy"]}; script-src 'self' 'sha256-${sha256(BOOT)}'`,
    );
    expect(policy).not.toContain("unsafe-inline");
    // A page with no inline script keeps the common policy.
    expect(pagePolicy(PAGE)).toBe(SECURITY_HEADERS["content-security-policy"]);
    expect(pagePolicy('<script src="/a.js"></script><script> </script>')).toBe(
      SECURITY_HEADERS["content-security-policy"],
    );
  });
});

describe("appPage", () => {
  const dir = mkdtempSync(join(tmpdir(), "heedy-app-page-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("rereads index.html once it changes, and serves the last copy while it is missing", async () => {
    writeFileSync(join(dir, "index.html"), PAGE);
    const page = appPage(dir, { extensions: ["one"] });
    const first = await page();
    expect(metaContent(first?.html ?? "")).toEqual({ extensions: ["one"] });
    writeFileSync(join(dir, "index.html"), PAGE.replace("explorer", "explorer, rebuilt"));
    const rebuilt = await page();
    expect(rebuilt?.html).toContain("explorer, rebuilt");
    expect(rebuilt?.etag).not.toBe(first?.etag);
    // A build empties the folder first.
    rmSync(join(dir, "index.html"));
    expect(await page()).toEqual(rebuilt);
  });

  it("is undefined when there never was a page, and adds nothing without capabilities (upstream)", async () => {
    expect(await appPage(join(dir, "nowhere"), undefined)()).toBeUndefined();
    writeFileSync(join(dir, "index.html"), PAGE);
    expect((await appPage(dir, undefined)())?.html).toBe(PAGE);
  });

  it("matches If-None-Match lists, weak and strong spellings, and *", () => {
    expect(matchesEtag('W/"a", W/"b"', 'W/"b"')).toBe(true);
    expect(matchesEtag('"b"', 'W/"b"')).toBe(true);
    expect(matchesEtag("*", 'W/"b"')).toBe(true);
    expect(matchesEtag('W/"c"', 'W/"b"')).toBe(false);
    expect(matchesEtag(undefined, 'W/"b"')).toBe(false);
  });
});

describe("the served page", () => {
  const appDir = mkdtempSync(join(tmpdir(), "heedy-app-page-static-"));
  let server: TestServer;
  beforeAll(async () => {
    writeFileSync(join(appDir, "index.html"), PAGE);
    server = await startTestServer({ staticDir: appDir });
  });
  afterAll(async () => {
    await server.close();
    rmSync(appDir, { recursive: true, force: true });
  });

  it("carries exactly what GET /api/server/capabilities answers, to anyone, uncached", async () => {
    const api = await (await fetch(`${server.url}/api/server/capabilities`)).json();
    for (const path of ["/", "/objects/abc/data?from=now-6h"]) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(res.headers.get("cache-control")).toBe("no-cache");
      expect(metaContent(await res.text())).toEqual(api);
    }
    // Never the raw file: without its meta, and under a policy that would refuse its first script.
    const raw = await fetch(`${server.url}/index.html`);
    expect(raw.status).toBe(404);
    await raw.arrayBuffer();
    const head = await fetch(`${server.url}/objects/abc`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
  });

  it("is served with a policy that allows its inline first script, and only the page is", async () => {
    writeFileSync(join(appDir, "index.html"), PAGE_WITH_BOOT);
    try {
      const page = await fetch(`${server.url}/objects/abc/data`);
      const policy = page.headers.get("content-security-policy") ?? "";
      expect(policy).toContain(`'sha256-${sha256(BOOT)}'`);
      expect(policy).toMatch(/^default-src 'self'/);
      expect(policy).not.toContain("unsafe");
      const api = await fetch(`${server.url}/api/server/version`);
      expect(api.headers.get("content-security-policy")).toBe(SECURITY_HEADERS["content-security-policy"]);
    } finally {
      writeFileSync(join(appDir, "index.html"), PAGE);
    }
  });

  it("answers a revalidation of an unchanged page with 304", async () => {
    const first = await fetch(`${server.url}/objects/abc`);
    const etag = first.headers.get("etag") ?? "";
    expect(etag).toMatch(/^W\/"/);
    const again = await fetch(`${server.url}/objects/def`, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get("cache-control")).toBe("no-cache");
    expect(await again.text()).toBe("");
    const other = await fetch(`${server.url}/`, { headers: { "if-none-match": 'W/"old"' } });
    expect(other.status).toBe(200);
  });
});
