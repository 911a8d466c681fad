/**
 * The first code the entry runs (main.tsx imports it before anything else): a shared object
 * link's chunks (the object page, the chart, uPlot) are asked for while the rest of the entry is
 * still being evaluated. Asked for after the link's reads (early-start.ts), they queued behind the
 * plot read, which the server computes before it answers anything else (measured on a cold
 * link: the chunks 250 ms late, the first draw waiting for them).
 */
import { preloadChart } from "../features/timeseries/components/Chart/LazyChart";
import { loadObjectPage } from "./object-page-loader";
import { parseRoute } from "./router";

const route = parseRoute(window.location.pathname, window.location.search);
if (route.page === "object") {
  void loadObjectPage().catch(() => undefined);
  if (route.tab === "data") void preloadChart().catch(() => undefined);
}
