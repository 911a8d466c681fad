/**
 * `npm run bench`: builds the app and server, then runs each bench module in turn (from source,
 * with tsx, so no bench code ships in dist/) and prints every figure with its budget. Not a test:
 * figures depend on the machine. Modules are separate so browser figures can be added beside the
 * timeseries ones.
 *
 * Environment: BENCH_ONLY=storage|server|list|cold limits the run (cold: only the cold page load
 * of a shared object URL; BENCH_COLD_ALL=1 prints every run's waterfall, not only the median's);
 * BENCH_STORE=sqlite or postgres
 * limits the timeseries figures to one store (default both, side by side); BENCH_BIG_POINTS sets
 * the big series size (default 10,000,000).
 *
 * PostgreSQL figures run in a throwaway cluster started here (store/postgres/test-cluster.ts); a
 * machine without PostgreSQL gets them as one failure line, never a silent skip.
 */
import { availableParallelism } from "node:os";
import { type Cluster, startCluster } from "../server/store/postgres/test-cluster.js";
import { allFigures, loadAverage, report } from "./bench-util.js";
import type { StoreFigures } from "./timeseries-figures.js";
import {
  type PostgresBaseline,
  runPostgresServerBench,
  runPostgresStorageBench,
  runTwoProcessBench,
} from "./timeseries-postgres.js";
import { runServerBench } from "./timeseries-server.js";
import { runStorageBench } from "./timeseries-storage.js";
import { runListBench } from "./ui-list.js";
import { runColdBench, runUiBench } from "./ui-viewer.js";

const only = process.env.BENCH_ONLY;
const bigPoints = Number(process.env.BENCH_BIG_POINTS ?? 10_000_000);

const stores = (process.env.BENCH_STORE ?? "sqlite,postgres").split(",");
const serverPart = only === undefined || only === "server";
const storagePart = only === undefined || only === "storage" || only === "server";

/** Runs a group of figures; a group that cannot run at all is one failure line, and the rest go on. */
const measured = async <T>(name: string, run: () => Promise<T>): Promise<T | undefined> => {
  try {
    return await run();
  } catch (e) {
    report({
      name,
      value: "not measured",
      budget: "measured",
      ok: false,
      note: (e as Error).message.split("\n")[0],
    });
    return undefined;
  }
};

const started = performance.now();
console.log(`load average at the start: ${loadAverage()} (${availableParallelism()} cores)`);
let cluster: Cluster | undefined;
try {
  let sqlite: StoreFigures | undefined;
  let pgBaseline: PostgresBaseline | undefined;
  if (storagePart && stores.includes("postgres")) {
    cluster = await measured("PostgreSQL figures (a throwaway cluster)", startCluster);
  }
  if (storagePart) {
    const baseline = stores.includes("sqlite") ? await runStorageBench() : undefined;
    const url = cluster?.url;
    if (url) pgBaseline = await measured("PostgreSQL raw COPY baseline", () => runPostgresStorageBench(url));
    if (serverPart && baseline) sqlite = await runServerBench(baseline, { bigPoints });
    if (serverPart && url && pgBaseline) {
      const copy = pgBaseline;
      await measured("PostgreSQL REST figures", () =>
        runPostgresServerBench(url, copy, sqlite, { bigPoints }),
      );
      await measured("PostgreSQL two-process figure", () => runTwoProcessBench(url));
    }
  }
} finally {
  cluster?.stop();
}

// Browser figures of the viewer (issue 6): src/bench/ui-viewer.ts, Playwright + Debian Chromium.
// A machine without Chromium still gets the summary line, with the browser figures as one failure.
const browserBench = (name: string, run: () => Promise<void>) => measured(name, run);
if (only === "cold") await browserBench("browser cold load", runColdBench);
if (only === undefined) {
  await browserBench("browser viewer figures", () => runUiBench({ bigPoints }));
}
// The object list with 10,000 objects (issue 14): src/bench/ui-list.ts.
if (only === undefined || only === "list") await browserBench("browser list figures", runListBench);

const figures = allFigures();
const failed = figures.filter((f) => !f.ok);
console.log(
  `\n${figures.length - failed.length}/${figures.length} figures within budget, ${((performance.now() - started) / 1000).toFixed(0)} s; load average at the end: ${loadAverage()}`,
);
if (failed.length > 0) process.exitCode = 1;
