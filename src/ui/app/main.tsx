// First: the session check, a shared link's reads and its first paint start before React DOM is
// evaluated.
import { firstPaintDone, startShell } from "./early-start";

/**
 * Latest moment (ms after navigation start) the shell waits for a first paint: a slow plot read
 * must not keep the page blank; React's page then shows it loading, as it would without one.
 */
const LATEST_MS = 600;

// The shell (React DOM and the app) is its own chunk, preloaded by index.html (fetched, not run):
// it is evaluated once the first paint is up, so a slow machine does not hold the paint back.
void Promise.race([
  firstPaintDone,
  new Promise((ok) => setTimeout(ok, Math.max(0, LATEST_MS - performance.now()))),
]).then(() => {
  startShell();
  return import("./mount");
});
