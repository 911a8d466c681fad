/**
 * `npm run bench`: builds the app and server, then runs each bench module in turn (from source,
 * with tsx, so no bench code ships in dist/) and prints every figure with its budget. Not a test:
 * figures depend on the machine. Modules are separate so browser figures can be added beside the
 * timeseries ones.
 *
 * Environment: BENCH_ONLY=storage|server|list|cold limits the run (cold: only the cold page load
 * of a shared object URL; BENCH_COLD_ALL=1 prints every run's waterfall, not only the median's);
 * BENCH_BIG_POINTS sets the big series size (default 10,000,000).
 */
import { allFigures, report } from "./bench-util.js";
import { runServerBench } from "./timeseries-server.js";
import { runStorageBench } from "./timeseries-storage.js";
import { runListBench } from "./ui-list.js";
import { runColdBench, runUiBench } from "./ui-viewer.js";

const only = process.env.BENCH_ONLY;
const bigPoints = Number(process.env.BENCH_BIG_POINTS ?? 10_000_000);

const started = performance.now();
const baseline = only === "cold" ? undefined : await runStorageBench();
if (baseline && only !== "storage") await runServerBench(baseline, { bigPoints });
// Browser figures of the viewer (issue 6): src/bench/ui-viewer.ts, Playwright + Debian Chromium.
// A machine without Chromium still gets the summary line, with the browser figures as one failure.
const browserBench = async (name: string, run: () => Promise<void>) => {
  try {
    await run();
  } catch (e) {
    report({
      name,
      value: "not measured",
      budget: "measured",
      ok: false,
      note: (e as Error).message.split("\n")[0],
    });
  }
};
if (only === "cold") await browserBench("browser cold load", runColdBench);
if (only !== "storage" && only !== "server" && only !== "list" && only !== "cold") {
  await browserBench("browser viewer figures", () => runUiBench({ bigPoints }));
}
// The object list with 10,000 objects (issue 14): src/bench/ui-list.ts.
if (only !== "storage" && only !== "server" && only !== "cold")
  await browserBench("browser list figures", runListBench);

const figures = allFigures();
const failed = figures.filter((f) => !f.ok);
console.log(
  `\n${figures.length - failed.length}/${figures.length} figures within budget, ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
if (failed.length > 0) process.exitCode = 1;
