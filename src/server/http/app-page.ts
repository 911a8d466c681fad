/**
 * The browser app's page (index.html) with facts the app would otherwise ask for first, so a cold
 * shared link's reads go out at once instead of one round trip later: the server's capabilities,
 * in a `<meta name="heedy-explorer-capabilities">` the app reads on start
 * (ui/shared/api/page-capabilities.ts). Only what `GET /api/server/capabilities` answers anyone;
 * nothing about the person asking, so the page stays the same for all and safe to cache.
 *
 * Read from disk when the file changes (a rebuild under a running server), not on every request.
 */
import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";

export const CAPABILITIES_META = "heedy-explorer-capabilities";

/** Text safe inside a double-quoted HTML attribute. */
export function attributeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** `html` with the capabilities inlined before `</head>` (unchanged when the page has no head). */
export function inlineCapabilities(html: string, capabilities: unknown): string {
  const at = html.indexOf("</head>");
  if (at < 0) return html;
  const meta = `<meta name="${CAPABILITIES_META}" content="${attributeText(JSON.stringify(capabilities))}">\n  `;
  return html.slice(0, at) + meta + html.slice(at);
}

/**
 * The page as served. `capabilities` is left out in upstream mode: those of the heedy server
 * behind us are not ours to state, so the app asks that server as usual.
 */
export function appPage(staticDir: string, capabilities: unknown): () => Promise<string> {
  const file = resolve(staticDir, "index.html");
  let cached: { mtimeMs: number; size: number; html: string } | undefined;
  return async () => {
    const info = await stat(file);
    if (cached?.mtimeMs !== info.mtimeMs || cached.size !== info.size) {
      const raw = await readFile(file, "utf8");
      const html = capabilities === undefined ? raw : inlineCapabilities(raw, capabilities);
      cached = { mtimeMs: info.mtimeMs, size: info.size, html };
    }
    return cached.html;
  };
}
