/**
 * The server's capabilities as inlined into the page by the explorer's server (its
 * server/http/app-page.ts), so the first reads of a cold page load do not wait for
 * `GET /api/server/capabilities`. Only for a client of the page's own server: a session on another
 * server (or an upstream heedy, whose page carries none) asks its server as usual.
 */
import { resolveBaseUrl, type ServerInfo } from "../../../client/index";

const META = 'meta[name="heedy-explorer-capabilities"]';

/** The inlined capabilities, if the page has them and they parse. */
export function pageCapabilities(doc: Pick<Document, "querySelector"> = document): unknown {
  const content = doc.querySelector(META)?.getAttribute("content");
  if (!content) return undefined;
  try {
    return JSON.parse(content);
  } catch {
    return undefined;
  }
}

/** Seeds `client` with the page's capabilities when it talks to the page's own server. */
export function seedPageCapabilities(client: { server: ServerInfo }, base: string): void {
  if (base !== resolveBaseUrl()) return;
  const capabilities = pageCapabilities();
  if (capabilities !== undefined) client.server.seedCapabilities(capabilities);
}
