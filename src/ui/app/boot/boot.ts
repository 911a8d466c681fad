/**
 * The page's first script, inlined into index.html by src/tools/vite-inline-boot.ts and run while
 * the HTML is parsed, ~120 ms before the app's code is in on a cold load: it sends a shared
 * object link's first reads (early-reads.ts) and leaves them for the app. Anything it cannot do
 * the app does as before.
 */
import { EARLY_READS_GLOBAL } from "../../shared/api/early-reads";
import { sendEarlyReads } from "./early-reads";

/** Asks the browser to fetch and compile a module the page will import soon. */
function preload(href: string | undefined): void {
  if (!href) return;
  const link = document.createElement("link");
  link.rel = "modulepreload";
  link.href = href;
  document.head.append(link);
}

try {
  const data = document.currentScript?.dataset;
  // Where a first paint is drawn (a plot read goes out), its chart code (uPlot) is asked for just
  // before the plot read: the one server process answers it from memory before it starts on the
  // plot, instead of after. It is run as soon as it is in, while the main thread waits for the
  // app's own code. The shell (React DOM and the app, 250 KB) waits until the first paint is up:
  // compiling it meanwhile would take a core from the page on a small machine. Everywhere else
  // the shell is wanted at once.
  let chart = false;
  const reads = sendEarlyReads(fetch, Date.now(), () => {
    const href = data?.preloadFirstPaint;
    if (!href) return;
    chart = true;
    import(/* @vite-ignore */ href).catch(() => undefined);
  });
  if (reads) (globalThis as Record<string, unknown>)[EARLY_READS_GLOBAL] = reads;
  if (!chart) preload(data?.preloadShell);
} catch {
  // The app loads what it needs itself.
}
