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

function warmIntl(): void {
  new Intl.NumberFormat(navigator.language).format(1);
  new Intl.DateTimeFormat().resolvedOptions();
}

try {
  const reads = sendEarlyReads(fetch);
  if (reads) (globalThis as Record<string, unknown>)[EARLY_READS_GLOBAL] = reads;
  // Where a first paint is drawn (a plot read went out), its chart code (uPlot) is loaded and run
  // now, while the main thread waits for the app's own code, and the shell (React DOM and the app,
  // 250 KB) waits until the first paint is up: compiling it meanwhile would take a core from the
  // page on a small machine. Everywhere else the shell is wanted at once.
  const data = document.currentScript?.dataset;
  const chart = data?.preloadFirstPaint;
  if (chart && reads?.reads.some((r) => r.ranged)) {
    import(/* @vite-ignore */ chart).catch(() => undefined);
    // uPlot makes the page's first Intl formats as it loads: ~20 ms of ICU start-up on a slow
    // machine. Done now, once the reads are out, it runs while the page waits for its scripts.
    setTimeout(warmIntl, 0);
  } else preload(data?.preloadShell);
} catch {
  // The app loads what it needs itself.
}
