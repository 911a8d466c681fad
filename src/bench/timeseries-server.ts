/**
 * REST figures of the timeseries engine against the real server in a child process
 * (`node dist/node/server/main.js start …`), so the server's RSS is its own.
 *
 * BENCH_SERVER_PARTS=load (with BENCH_ONLY=server) runs only the load figures of issue 10
 * (src/bench/server-load.ts) and the ingest and full-read figures on the way to them.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BenchServer, createFolder, rssOf, TOKEN, wireRead } from "./bench-server.js";
import { fmt, gc, info, median, now, report, sensorPoint } from "./bench-util.js";
import { latencyUnderLoad, mixedLoad, rssWhileIngesting, sparseUpdate } from "./server-load.js";
import {
  describeRun,
  fullRead,
  ingestFigures,
  lastHour,
  loadSeries,
  newSeries,
  plot,
  type StoreFigures,
} from "./timeseries-figures.js";
import type { StorageBaseline } from "./timeseries-storage.js";

export async function runServerBench(
  baseline: StorageBaseline,
  opts: { bigPoints?: number } = {},
): Promise<StoreFigures> {
  const bigPoints = opts.bigPoints ?? 10_000_000;
  const timed = process.env.BENCH_SERVER_PARTS !== "load";
  const readProc = (path: string) => readFileSync(path, "utf8");
  console.log("\nTimeseries over REST (server in a child process)");
  const dir = mkdtempSync(join(tmpdir(), "heedy-bench-server-"));
  createFolder(dir);
  const server = new BenchServer(dir);
  const figures: StoreFigures = {
    ingestRate: 0,
    ingestOneRate: 0,
    ingestVsRaw: 0,
    diskPerPoint: baseline.chunkBytesPerPoint,
    fullReadMs: 0,
  };
  await server.start();
  try {
    // First, while the server is fresh: later requests grow its heap, hiding the ingest's growth.
    await rssWhileIngesting(server, readProc);

    // ---- ingest 1M points in 10k batches: one client, and four at once ----
    const n = 1_000_000;
    const start = 1.7e9;
    const ingest = await ingestFigures(server);
    const small = { id: ingest.oneRuns[0]!.ids[0]! };
    figures.ingestRate = ingest.four.rate;
    figures.ingestOneRate = ingest.one.rate;
    // The raw baseline is one connection in process: compared with one client.
    figures.ingestVsRaw = ingest.one.rate / baseline.rawInsertRate;
    report({
      name: "ingest, 1M numeric points in 10k-point REST batches, 4 clients at once (median of 3)",
      value: fmt.rate(ingest.four.rate),
      budget: ">= 1,000,000/s",
      ok: ingest.four.rate >= 1_000_000,
      note: describeRun(ingest.four),
    });
    report({
      name: "ingest, the same with one client (median of 3), against raw better-sqlite3 INSERT",
      value: fmt.rate(ingest.one.rate),
      budget: ">= 0.5x raw better-sqlite3",
      ok: ingest.one.rate >= 0.5 * baseline.rawInsertRate,
      note: `ratio to raw better-sqlite3 insert (${fmt.rate(baseline.rawInsertRate)}): ${fmt.ratio(ingest.one.rate / baseline.rawInsertRate)}; ${describeRun(ingest.one)}`,
    });

    // ---- full read of 1M points vs JSON.stringify of the same array ----
    // Checked once for content, then timed as the client receiving every byte (not parsing it:
    // the budget is the server's, and the baseline is the cost of producing the same text).
    const { ms: readMs, bytes } = await fullRead(server, small.id, n);
    figures.fullReadMs = readMs;
    const same = Array.from({ length: n }, (_, i) => sensorPoint(i, start));
    const strTimes: number[] = [];
    for (let rep = 0; rep < 5; rep++) {
      gc();
      const t0 = now();
      const s = JSON.stringify(same);
      strTimes.push(now() - t0);
      if (s.length !== bytes) info(`(stringify length ${s.length} vs response ${bytes})`);
    }
    const strMs = median(strTimes);
    report({
      name: "full read of 1M points over REST (median of 5, bytes received)",
      value: `${fmt.ms(readMs)} (${fmt.mb(bytes)})`,
      budget: "<= 500 ms and >= 0.5x JSON.stringify",
      ok: readMs <= 500 && strMs / readMs >= 0.5,
      note: `JSON.stringify of the same array: ${fmt.ms(strMs)}; ratio ${fmt.ratio(strMs / readMs)}`,
    });

    // ---- the same read compressed (issue 14): gzip and brotli, time to the last byte ----
    // The default (`--compression remote`) sends loopback clients plain JSON; this measures what
    // compression would cost them, and what it saves a remote client.
    await server.stop();
    server.args = ["--compression", "on"];
    await server.start();
    const readUrl = `${server.base}/api/objects/${small.id}/timeseries`;
    const auth = { authorization: `Bearer ${TOKEN}` };
    const encoded: Record<string, { ms: number; bytes: number }> = {};
    for (const enc of ["identity", "gzip", "br"]) {
      const runs: { ms: number; bytes: number }[] = [];
      for (let rep = 0; rep < 3; rep++)
        runs.push(await wireRead(readUrl, { ...auth, "accept-encoding": enc }));
      encoded[enc] = { ms: median(runs.map((r) => r.ms)), bytes: runs[0]!.bytes };
    }
    await server.stop();
    server.args = [];
    await server.start();
    const plainRead = encoded.identity!;
    for (const enc of ["gzip", "br"] as const) {
      const r = encoded[enc]!;
      report({
        name: `full read of 1M points, ${enc === "br" ? "brotli (q4)" : "gzip (-6)"}, loopback (median of 3)`,
        value: `${fmt.ms(r.ms)} (${fmt.mb(r.bytes)} on the wire)`,
        budget: "informational: decides --compression remote",
        ok: true,
        note: `uncompressed ${fmt.ms(plainRead.ms)} (${fmt.mb(plainRead.bytes)}); ${fmt.ratio(plainRead.bytes / r.bytes)} smaller, ${fmt.ratio(r.ms / plainRead.ms)} the time`,
      });
    }

    // ---- a 10M-point series ending now ----
    const big = { id: await newSeries(server, "bench 10M") };
    const bigStart = Math.floor(Date.now() / 1000) - bigPoints;
    const loadS = await loadSeries(server, big.id, bigPoints, bigStart);
    info(
      `loaded ${bigPoints.toLocaleString("en-US")} points in ${loadS.toFixed(1)} s (body building included)`,
    );

    if (timed) {
      const { p50: hourP50, count: hourCount } = await lastHour(server, big.id);
      figures.lastHourMs = hourP50;
      report({
        name: `last-hour query on a ${(bigPoints / 1e6).toFixed(0)}M-point series (p50 of 200)`,
        value: fmt.ms(hourP50),
        budget: "<= 5 ms",
        ok: hourP50 <= 5,
        note: `${hourCount} points per answer, parsed by the client`,
      });

      const { p50: plotP50, points: plotLen } = await plot(server, big.id);
      figures.plotMs = plotP50;
      report({
        name: `plot: whole ${(bigPoints / 1e6).toFixed(0)}M-point series to 2,000 columns (p50 of 7)`,
        value: fmt.ms(plotP50),
        budget: "<= 100 ms",
        ok: plotP50 <= 100,
        note: `${plotLen} points returned`,
      });

      // ---- windowed aggregate (issue 13): per hour, from chunk summaries ----
      const aggregateTimes = async (query: string) => {
        const times: number[] = [];
        let windows = 0;
        for (let rep = 0; rep < 7; rep++) {
          const t0 = now();
          const res = await server.request("GET", `/api/objects/${big.id}/timeseries/plot?${query}`);
          const body = (await res.json()) as { data: unknown[] };
          times.push(now() - t0);
          windows = body.data.length;
        }
        return { p50: median(times), windows };
      };
      const whole = await aggregateTimes("aggregate=3600&origin=0");
      report({
        name: `aggregate: whole ${(bigPoints / 1e6).toFixed(0)}M-point series per hour (p50 of 7)`,
        value: fmt.ms(whole.p50),
        budget: "<= 100 ms",
        ok: whole.p50 <= 100,
        note: `${whole.windows} windows`,
      });
      const day = await aggregateTimes("t1=now-1d&aggregate=3600&origin=0");
      info(`aggregate: last day of it per hour: ${fmt.ms(day.p50)} (${day.windows} windows)`);

      // ---- server RSS while streaming the whole 10M-point series ----
      // On a freshly started server: the process that just took 10M points keeps heap it has not
      // handed back to the OS, which says nothing about what a read costs.
      await server.stop();
      await server.start();
      await (await server.request("GET", "/api/server/version")).text();
      const rssBefore = rssOf(server.pid);
      let rssMax = rssBefore;
      const timer = setInterval(() => {
        try {
          rssMax = Math.max(rssMax, rssOf(server.pid));
        } catch {
          // the process may be gone
        }
      }, 20);
      const t0 = now();
      const res = await server.request("GET", `/api/objects/${big.id}/timeseries`);
      let streamed = 0;
      const reader = res.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        streamed += value.byteLength;
      }
      const streamMs = now() - t0;
      clearInterval(timer);
      report({
        name: `server RSS while streaming a ${(bigPoints / 1e6).toFixed(0)}M-point read`,
        value: fmt.mb(rssMax),
        budget: "<= 200 MB",
        ok: rssMax <= 200 * 1024 * 1024,
        note: `fresh server: ${fmt.mb(rssBefore)} before, +${fmt.mb(rssMax - rssBefore)} at most; ${fmt.mb(streamed)} in ${(streamMs / 1000).toFixed(1)} s (${fmt.rate((bigPoints / streamMs) * 1000)} points)`,
      });
    }

    // ---- issue 10: bounded work per request ----
    await sparseUpdate(server, big.id, bigPoints, bigStart);
    await latencyUnderLoad(server, big.id, bigPoints);
    await mixedLoad(server);
    return figures;
  } finally {
    await server.stop();
    let dbBytes = 0;
    for (const f of ["heedy.db", "heedy.db-wal"]) {
      try {
        dbBytes += statSync(join(dir, f)).size;
      } catch {
        // absent
      }
    }
    info(
      `server database after the run: ${fmt.mb(dbBytes)} for ${(1_000_000 + bigPoints).toLocaleString("en-US")} points (${(dbBytes / (1_000_000 + bigPoints)).toFixed(2)} bytes/point, users and apps included)`,
    );
    rmSync(dir, { recursive: true, force: true });
  }
}
