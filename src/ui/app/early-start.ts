/**
 * What a page load starts before React: main.tsx imports this module first, so it runs as soon as
 * the entry's code is in, before React DOM and the app are evaluated.
 *
 * - The session check (a `#token=…` link, a stored token or a cookie session).
 * - For a shared object link, the reads the page needs (object, plot, length). They start with
 *   the client whose token is still being checked, in parallel with that check, instead of one
 *   round trip after another; if the check fails the cache is cleared with the session, so nothing
 *   read with a refused token is ever shown.
 * - For a link to an object's Data tab, its first paint as plain DOM (first-paint/): the page once
 *   the token is accepted and the object is in, its chart once the plot read is, before React and
 *   the object page's code are evaluated (main.tsx waits for it, up to a limit). React's page then
 *   replaces it (shared/first-paint.ts); none starts once React renders.
 * - Once the shell starts, the object page's chunks: at once for an object link, else when the
 *   browser is idle after sign-in, so a first open is instant.
 */

import type { HeedyObject } from "../../client/index";
import { objectQuery } from "../features/objects/api/objects";
import { lengthQuery } from "../features/timeseries/api/series";
import { preloadChart } from "../features/timeseries/components/Chart/LazyChart";
import { plotStatusText } from "../features/timeseries/model/plot-status";
import { refreshFromSearch } from "../features/timeseries/model/refresh";
import { serverName } from "../shared/api/capabilities";
import {
  endFirstPaint,
  firstPaintShown,
  holdFirstPaint,
  onFirstPaintEnd,
  reactHasTakenOver,
} from "../shared/first-paint";
import { startLiveEvents, stopLiveEvents, useLiveStatus } from "../shared/live/live-events";
import { describePer, perFromSearch } from "../shared/plot/per";
import { earlyPlotQuery, type PlotView } from "../shared/plot/plot-read";
import { type ExplorerClient, restoreSession, useSession } from "../shared/session/session-store";
import { isZoomed } from "../shared/time/use-time-navigation";
import { rangeFromSearch, type ViewRange } from "../shared/time/view-range";
import { currentZone } from "../shared/time/zone";
import { pageSkeleton } from "./first-paint/page-skeleton";
import { loadObjectPage } from "./object-page-loader";
import { queryClient } from "./query-client";
import { parseRoute, type Route } from "./router";

function preloadObjectPage(): void {
  const idle = (globalThis as { requestIdleCallback?: (cb: () => void) => void }).requestIdleCallback;
  const run = () => {
    void loadObjectPage().catch(() => undefined);
    // The chart chunk (uPlot) is the other half of a first object open.
    void preloadChart().catch(() => undefined);
  };
  if (idle) idle(run);
  else setTimeout(run, 500);
}

/**
 * The first paint's chart code (uPlot), asked for before anything else on a Data tab link: it is
 * evaluated (~30 ms on a slow machine) while the session check and reads are on the wire, not
 * after they return.
 */
const firstPaintChart = (() => {
  const route = parseRoute(window.location.pathname, window.location.search);
  if (route.page !== "object" || route.tab !== "data") return null;
  const chart = import("./first-paint/first-paint-chart");
  chart.catch(() => undefined);
  return chart;
})();

let firstPaintSettled: () => void = () => undefined;
/**
 * Settles once a Data tab link's first paint has its chart, or there will be none (another page,
 * a refused token, a failed read, no data). main.tsx evaluates the shell (React DOM, 100 ms of
 * main thread on a slow machine) after this, so it does not hold the first paint back.
 */
export const firstPaintDone = new Promise<void>((ok) => {
  firstPaintSettled = ok;
});

let shellStart: () => void = () => undefined;
const shellStarting = new Promise<void>((ok) => {
  shellStart = ok;
});

/** Called by main.tsx as it starts loading the shell: the object page's chunks may load too. */
export function startShell(): void {
  firstPaintSettled();
  shellStart();
  const route = parseRoute(window.location.pathname, window.location.search);
  if (route.page === "object") {
    void loadObjectPage().catch(() => undefined);
    if (route.tab === "data") void preloadChart().catch(() => undefined);
  }
}

/** True once `client` is the session's; false if the session went another way. */
function accepted(client: ExplorerClient): Promise<boolean> {
  const verdict = (state: ReturnType<typeof useSession.getState>) =>
    state.client === client ? "yes" : state.pending === client ? "waiting" : "no";
  return new Promise((ok) => {
    const now = verdict(useSession.getState());
    if (now !== "waiting") return ok(now === "yes");
    const stop = useSession.subscribe((state) => {
      const next = verdict(state);
      if (next === "waiting") return;
      stop();
      ok(next === "yes");
    });
  });
}

/**
 * The Data tab's first paint for `route`, in two steps so the page's first layout overlaps the
 * plot read: the page skeleton once the token is accepted and the object is in, then the chart
 * when the plot read is. Nothing starts once React renders (mount.tsx).
 */
async function paintFirst(
  client: ExplorerClient,
  route: Extract<Route, { page: "object" }>,
  objectRead: Promise<HeedyObject>,
  plotRead: Promise<PlotView>,
  range: ViewRange,
): Promise<void> {
  const chart = firstPaintChart ?? import("./first-paint/first-paint-chart");
  const [ok, object] = await Promise.all([accepted(client), objectRead]);
  const stillHere = () => {
    const here = parseRoute(window.location.pathname, window.location.search);
    return here.page === "object" && here.id === route.id && cacheOwner === client;
  };
  // Once React renders, a first paint would only cover its page.
  if (!ok || object.type !== "timeseries" || !stillHere() || reactHasTakenOver()) return;
  // Known at once from the page (its meta); a page without one asks, so check again after.
  const capabilities = await client.server.capabilities().catch(() => undefined);
  if (!stillHere() || reactHasTakenOver()) return;
  const state = useSession.getState();
  const params = new URLSearchParams(window.location.search);
  const refresh = refreshFromSearch(params);
  const { page, plot, status, live } = pageSkeleton({
    object,
    session: { mode: state.mode, app: state.app, person: state.person, url: state.url },
    server: serverName(capabilities),
    length: queryClient.getQueryData(lengthQuery(client, object).queryKey),
    range,
    zone: currentZone(),
    per: perFromSearch(params),
    refresh,
    zoomed: isZoomed(range),
    pushed: useLiveStatus.getState().status === "open",
  });
  const overlay = document.createElement("div");
  overlay.className = "first-paint";
  overlay.inert = true;
  overlay.setAttribute("aria-hidden", "true");
  overlay.append(page);
  document.body.append(overlay);
  holdFirstPaint(overlay);
  // Laid out now, while the plot read is out; the chart's width is read from this layout.
  void plot.clientWidth;
  performance.mark?.("heedy:first-paint-page");
  // A failed read or an empty range leaves the page up: React's page says why and ends it
  // (TimeseriesViewer), so the screen never goes blank in between.
  const [view, { drawFirstChart }] = await Promise.all([plotRead, chart]);
  // Up until React's chart replaces it (even if the shell started meanwhile), unless React already
  // replaced it or the page is no longer this one.
  if (!firstPaintShown(overlay) || !stillHere()) return endFirstPaint(overlay);
  status.textContent = plotStatusText({ ...view, per: view.per ? describePer(view.per) : undefined });
  if (refresh) live(useLiveStatus.getState().status === "open");
  const drawn = drawFirstChart(plot, view, currentZone());
  if (drawn) onFirstPaintEnd(overlay, () => drawn.destroy());
}

/** Reads the Data tab of the address bar's object with `client`, into the app's cache. */
function prefetchObjectRoute(client: ExplorerClient): void {
  const route = parseRoute(window.location.pathname, window.location.search);
  if (route.page !== "object") {
    firstPaintSettled();
    return;
  }
  const object = queryClient.fetchQuery(objectQuery(client, route.id));
  // With the shell: until the first paint is up it would share the server with the plot read.
  Promise.all([object, shellStarting])
    .then(([object]) => {
      if (object.type === "timeseries" && cacheOwner === client)
        void queryClient.prefetchQuery(lengthQuery(client, object));
    })
    .catch(() => undefined);
  if (route.tab !== "data") {
    firstPaintSettled();
    return;
  }
  // The plot read's code is part of the entry (a few KB): it goes out as soon as the capabilities
  // list it (the page carries them), beside the object read, not after it.
  const params = new URLSearchParams(window.location.search);
  const range = rangeFromSearch(params);
  // The viewer's key: the same zone and aggregation, or the prefetch is read by nobody.
  const shape = { zone: currentZone(), per: perFromSearch(params) };
  const plot = queryClient.fetchQuery(earlyPlotQuery(client, route.id, object, range, shape));
  plot.catch(() => undefined);
  paintFirst(client, route, object, plot, range)
    .catch(() => undefined)
    .finally(() => firstPaintSettled());
}

/**
 * The client whose reads the cache holds: the session's, or while none is signed in, the one being
 * checked. A new session (or none) must never see another one's data, so the cache is cleared
 * whenever this changes; a checked client that becomes the session keeps its early reads.
 */
let cacheOwner: ExplorerClient | null = null;

useSession.subscribe((state, previous) => {
  const reader = state.client ?? state.pending;
  if (reader !== cacheOwner) {
    queryClient.clear();
    cacheOwner = reader;
    if (reader) prefetchObjectRoute(reader);
    else firstPaintSettled();
  }
  // One events socket per session keeps the cache current (shared/live). Opened with the shell:
  // creating it costs the page's main thread ~10 ms, which a first paint should not wait for.
  if (state.client !== previous.client) {
    stopLiveEvents();
    const client = state.client;
    if (client)
      void shellStarting.then(() => {
        if (useSession.getState().client === client) startLiveEvents(client, queryClient);
      });
  }
  if (state.status === "signed-in" && previous.status !== "signed-in")
    void shellStarting.then(preloadObjectPage);
});

// Takes a `#token=…` fragment out of the address bar at once and marks the session as being
// checked, so the login form does not flash.
void restoreSession().finally(() => {
  if (useSession.getState().status !== "signed-in") firstPaintSettled();
});
