// First: the session check and a shared link's reads start before React DOM is evaluated.
import { earlyReadsSent } from "./early-start";

/** Longest the shell waits for a shared link's reads to be sent (a slow server must not blank the page). */
const MAX_WAIT_MS = 250;

// The shell (React DOM and the app) is its own chunk, preloaded by index.html: its evaluation
// starts once the reads are out, so a slow machine does not hold them back for it.
void Promise.race([earlyReadsSent, new Promise((ok) => setTimeout(ok, MAX_WAIT_MS))]).then(
  () => import("./mount"),
);
