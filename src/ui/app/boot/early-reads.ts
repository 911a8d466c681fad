/**
 * What the page's first script sends (see boot.ts): for a link to an object, the reads the app
 * will send first, with the credentials it will use. The app takes the answers instead of asking
 * again (shared/api/early-reads.ts), so every URL here must be exactly the one the client builds
 * for the same read: early-reads.test.ts checks them against the real client's requests.
 */

import { PLOT_EXTENSION } from "../../../client/server";
import { type Query, requestUrl, resolveBaseUrl, segment } from "../../../client/session";
import { plotRequest } from "../../../client/timeseries";
import { AGGREGATE_EXTENSION } from "../../../core/aggregate";
import type { EarlyRead, EarlyReads } from "../../shared/api/early-reads";
import { pageCapabilities } from "../../shared/api/page-capabilities";
import { perFromSearch } from "../../shared/plot/per";
import { SERVER_PLOT } from "../../shared/plot/server-plot";
import { readStored } from "../../shared/session/stored-session";
import { rangeFromSearch, resolveRange } from "../../shared/time/view-range";
import { readZonePreference } from "../../shared/time/zone-preference";
import { parseRoute } from "../route-table";

/**
 * The credentials the app will start with (session-store.ts, in its order): a `#token=…` link,
 * then a token this browser kept for this server, else the cookie session it may have (`null`).
 * Undefined when the app will talk to another server: nothing is sent for it.
 */
function startingAuthorization(base: string): string | null | undefined {
  const linked = new URLSearchParams(window.location.hash.replace(/^#/, "")).get("token");
  if (linked !== null) return linked.trim() ? `Bearer ${linked.trim()}` : undefined;
  let stored: ReturnType<typeof readStored> = null;
  try {
    stored = readStored();
  } catch {
    // Storage out of reach: the app finds none either.
  }
  if (stored) return stored.session.url === base ? `Bearer ${stored.session.token.trim()}` : undefined;
  return null;
}

/** The first plot read of the Data tab, when the page's server has the plot read and it applies. */
function plotRead(
  id: string,
  params: URLSearchParams,
  now: Date,
): { path: string; params: Query } | undefined {
  const capabilities = pageCapabilities() as { extensions?: unknown } | undefined;
  const extensions = Array.isArray(capabilities?.extensions) ? capabilities.extensions : [];
  if (!extensions.includes(PLOT_EXTENSION) || !extensions.includes(AGGREGATE_EXTENSION)) return undefined;
  if (perFromSearch(params)) return undefined;
  try {
    const resolved = resolveRange(rangeFromSearch(params), now, readZonePreference());
    return plotRequest(id, { ...resolved, ...SERVER_PLOT }, now);
  } catch {
    return undefined; // A range the page will report; it reads nothing either.
  }
}

/**
 * Sends the reads of the address bar's object page with `send` and lists them, or answers
 * undefined when there is nothing to send (another page, another server, no http). `beforePlot`
 * runs just before the plot read goes out, when one does.
 */
export function sendEarlyReads(
  send: typeof fetch,
  now: number = Date.now(),
  beforePlot: () => void = () => undefined,
): EarlyReads | undefined {
  if (!/^https?:$/.test(window.location.protocol)) return undefined;
  const route = parseRoute(window.location.pathname, window.location.search);
  if (route.page !== "object") return undefined;
  const base = resolveBaseUrl();
  const authorization = startingAuthorization(base);
  if (authorization === undefined) return undefined;
  // The headers the client sends on every request (client/session.ts).
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (authorization !== null) headers.Authorization = authorization;
  const reads: EarlyRead[] = [];
  const read = (path: string, query?: Query, ranged?: true) => {
    const url = requestUrl(base, path, query);
    const response = send(url, { method: "GET", headers, credentials: "same-origin" });
    response.catch(() => undefined);
    reads.push(ranged ? { url, authorization, response, ranged } : { url, authorization, response });
  };
  // The credentials' check first: the page waits for it before it shows anything.
  read(authorization === null ? "frontend_context" : "api/apps/self");
  read(`api/objects/${segment(route.id)}`);
  const plot = route.tab === "data" ? plotRead(route.id, route.query, new Date(now)) : undefined;
  if (plot) {
    beforePlot();
    read(plot.path, plot.params, true);
  }
  return { sentAt: now, now, reads };
}
