/**
 * The browser app's page (index.html) with facts the app would otherwise ask for first, so a cold
 * shared link's reads go out at once instead of one round trip later: the server's capabilities,
 * in a `<meta name="heedy-explorer-capabilities">` the app reads on start
 * (ui/shared/api/page-capabilities.ts). Only what `GET /api/server/capabilities` answers anyone;
 * nothing about the person asking, so the page stays the same for all and safe to cache.
 *
 * Read from disk when the file changes (a rebuild under a running server), not on every request.
 */
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { pageContentSecurityPolicy } from "./security.js";

export const CAPABILITIES_META = "heedy-explorer-capabilities";

/** Text safe inside a double-quoted HTML attribute. */
export function attributeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * `html` with the capabilities inlined in its head, ahead of its first script (the page's inline
 * first script reads them as it runs); unchanged when the page has no head.
 */
export function inlineCapabilities(html: string, capabilities: unknown): string {
  const end = html.indexOf("</head>");
  if (end < 0) return html;
  const script = html.indexOf("<script");
  const at = script >= 0 && script < end ? script : end;
  const meta = `<meta name="${CAPABILITIES_META}" content="${attributeText(JSON.stringify(capabilities))}">\n  `;
  return html.slice(0, at) + meta + html.slice(at);
}

/**
 * The page's policy: the common one (security.ts) with the page's own inline scripts allowed by
 * their SHA-256, and no other inline script.
 */
export function pagePolicy(html: string): string {
  const hashes = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
    .filter((m) => !/\bsrc\s*=/i.test(m[1]!) && m[2]!.trim() !== "")
    .map((m) => `'sha256-${createHash("sha256").update(m[2]!).digest("base64")}'`);
  return pageContentSecurityPolicy(hashes);
}

export interface AppPage {
  html: string;
  /** The Content-Security-Policy the page is served with (pagePolicy). */
  policy: string;
  /** A weak validator of `html`, so a revalidation (the page is `no-cache`) can answer 304. */
  etag: string;
}

/**
 * The page as served, or undefined when there is none (and never was). `capabilities` is left out
 * in upstream mode: those of the heedy server behind us are not ours to state, so the app asks
 * that server as usual. While the file is missing (a rebuild empties the folder first) the last
 * copy read is served.
 */
export function appPage(staticDir: string, capabilities: unknown): () => Promise<AppPage | undefined> {
  const file = resolve(staticDir, "index.html");
  let cached: (AppPage & { mtimeMs: number; size: number }) | undefined;
  return async () => {
    const info = await stat(file).catch(() => undefined);
    if (info && (cached?.mtimeMs !== info.mtimeMs || cached.size !== info.size)) {
      const raw = await readFile(file, "utf8").catch(() => undefined);
      if (raw === undefined) return cached;
      const html = capabilities === undefined ? raw : inlineCapabilities(raw, capabilities);
      const etag = `W/"${createHash("sha256").update(html).digest("base64url").slice(0, 22)}"`;
      cached = { html, etag, policy: pagePolicy(html), mtimeMs: info.mtimeMs, size: info.size };
    }
    return cached;
  };
}

/** Whether an If-None-Match header names `etag` (a list, or `*`). */
export function matchesEtag(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const tags = [header].flat().flatMap((h) => h.split(","));
  return tags.some((t) => {
    const tag = t.trim();
    return tag === "*" || tag === etag || `W/${tag}` === etag;
  });
}
