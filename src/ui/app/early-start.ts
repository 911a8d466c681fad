/**
 * What a page load starts before React: main.tsx imports this module first, so it runs as soon as
 * the entry's code is in, before React DOM and the app are evaluated.
 *
 * - The session check (a `#token=…` link, a stored token or a cookie session).
 * - For a shared object link, the object page's code, the chart's and the reads the page needs
 *   (object, plot, length). The reads start with the client whose token is still being checked,
 *   in parallel with that check, instead of one round trip after another; if the check fails the
 *   cache is cleared with the session, so nothing read with a refused token is ever shown.
 * - After sign-in, once the browser is idle, the object page's chunks, so a first open is instant.
 */

import { objectQuery } from "../features/objects/api/objects";
import { lengthQuery } from "../features/timeseries/api/series";
import { preloadChart } from "../features/timeseries/components/Chart/LazyChart";
import { startLiveEvents, stopLiveEvents } from "../shared/live/live-events";
import { perFromSearch } from "../shared/plot/per";
import { earlyPlotQuery } from "../shared/plot/plot-read";
import { type ExplorerClient, restoreSession, useSession } from "../shared/session/session-store";
import { rangeFromSearch } from "../shared/time/view-range";
import { currentZone } from "../shared/time/zone";
import { loadObjectPage } from "./object-page-loader";
import { queryClient } from "./query-client";
import { parseRoute } from "./router";

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

let readsSent: () => void = () => undefined;
/**
 * Settles once a shared object link's reads are on the wire (or there are none to wait for).
 * main.tsx evaluates the shell (React DOM, 100 ms of main thread on a slow machine) after this,
 * so the plot read is not held back until the shell is done; the shell's code downloads meanwhile.
 */
export const earlyReadsSent = new Promise<void>((ok) => {
  readsSent = ok;
});

/** Reads the Data tab of the address bar's object with `client`, into the app's cache. */
function prefetchObjectRoute(client: ExplorerClient): void {
  const route = parseRoute(window.location.pathname, window.location.search);
  if (route.page !== "object") {
    readsSent();
    return;
  }
  const object = queryClient.fetchQuery(objectQuery(client, route.id));
  if (route.tab !== "data") {
    object.catch(() => undefined);
    readsSent();
    return;
  }
  // The plot read's code is part of the entry (a few KB): it goes out as soon as the capabilities
  // list it, beside the object read, not after it or once the object page's chunk is evaluated.
  const params = new URLSearchParams(window.location.search);
  const range = rangeFromSearch(params);
  // The viewer's key: the same zone and aggregation, or the prefetch is read by nobody.
  const shape = { zone: currentZone(), per: perFromSearch(params) };
  void queryClient.prefetchQuery(earlyPlotQuery(client, route.id, object, range, shape));
  readsSent();
  object
    .then((object) => {
      if (object.type === "timeseries" && cacheOwner === client)
        void queryClient.prefetchQuery(lengthQuery(client, object));
    })
    .catch(() => undefined);
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
    else readsSent();
  }
  // One events socket per session keeps the cache current (shared/live).
  if (state.client !== previous.client) {
    if (state.client) startLiveEvents(state.client, queryClient);
    else stopLiveEvents();
  }
  if (state.status === "signed-in" && previous.status !== "signed-in") preloadObjectPage();
});

// Takes a `#token=…` fragment out of the address bar at once and marks the session as being
// checked, so the login form does not flash.
void restoreSession().finally(() => readsSent());

// After the session's reads are asked for, so they are first in line for the browser's few
// connections to this server. (Asked for before them, the chunks were evaluated as soon as they
// arrived, holding back the plot read that waits on the capabilities' answer: no gain measured.)
const initialRoute = parseRoute(window.location.pathname, window.location.search);
if (initialRoute.page === "object") {
  void loadObjectPage().catch(() => undefined);
  if (initialRoute.tab === "data") void preloadChart().catch(() => undefined);
}
