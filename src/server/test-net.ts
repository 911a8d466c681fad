/**
 * Ports and readiness for tests, e2e fixtures and benches that run the server in a child process.
 * A test-*.ts file: never built into dist/.
 */
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";

/** A port that was free a moment ago (the OS picks it; the caller binds it soon after). */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once("error", fail);
    srv.listen(0, host, () => {
      const address = srv.address();
      srv.close(() =>
        typeof address === "object" && address ? ok(address.port) : fail(new Error("no port")),
      );
    });
  });
}

/**
 * Polls `url` until it answers 2xx. Fails early when `child` (the server process) exits, and after
 * `timeoutMs` otherwise.
 */
export async function waitForServer(
  url: string,
  opts: { child?: ChildProcess; timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const { child, timeoutMs = 15_000, intervalMs = 50 } = opts;
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child && child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`server did not answer at ${url} within ${timeoutMs} ms`);
}
