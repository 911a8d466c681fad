/**
 * Browser figures of the viewer (issue 6), measured with Playwright on Debian's Chromium against
 * the real built server in a child process:
 *
 * - open → drawn: from navigating to an object with a 1M-point series (the app shell already
 *   loaded) to the chart's first draw, for the default view (last 1,000 points) and for "all";
 * - zoom → redrawn: from releasing a drag on a 10M-point series to the redraw with the refetched
 *   window;
 * - initial JS: gzip size of the entry script and its modulepreloads in dist/app/index.html.
 *
 * Environment: BENCH_UI_BIG_POINTS (default 10,000,000), CHROMIUM_PATH (default /usr/bin/chromium).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { type Browser, chromium, type Page } from "@playwright/test";
import { freePort, waitForServer } from "../server/test-net.js";
import { fmt, info, median, report, sensorPoint } from "./bench-util.js";

const here = dirname(fileURLToPath(import.meta.url));
const MAIN = resolve(here, "../../dist/node/server/main.js");
const APP_DIR = resolve(here, "../../dist/app");
export const TOKEN = "bench-ui-token-0123456789";
const BATCH = 50_000;

/**
 * Initial JS, gzip -9: the entry script, every modulepreload of the built index.html and the shell
 * the inline boot script preloads (or the entry imports after a first paint), plus that inline
 * script itself (`inline`).
 */
export function initialJsGzip(appDir = APP_DIR): { bytes: number; files: string[]; inline: number } {
  const html = readFileSync(join(appDir, "index.html"), "utf8");
  const files = [
    ...html.matchAll(
      /<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\/([^"]+\.js)"|data-preload-shell="\/([^"]+\.js)"/g,
    ),
  ].map((m) => (m[1] ?? m[2])!);
  let bytes = 0;
  for (const f of files) bytes += gzipSync(readFileSync(join(appDir, f)), { level: 9 }).length;
  let inline = 0;
  for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g))
    inline += gzipSync(m[1]!, { level: 9 }).length;
  return { bytes: bytes + inline, files, inline };
}

/** Bytes on the wire for a GET with the given Accept-Encoding, and the encoding the server chose. */
function wireBytes(url: string, acceptEncoding: string): Promise<{ bytes: number; encoding: string }> {
  return new Promise((ok, fail) => {
    httpRequest(url, { headers: { "accept-encoding": acceptEncoding } }, (res) => {
      let bytes = 0;
      res.on("data", (c: Buffer) => {
        bytes += c.length;
      });
      res.on("end", () => ok({ bytes, encoding: String(res.headers["content-encoding"] ?? "identity") }));
    })
      .on("error", fail)
      .end();
  });
}

/** The initial JS (entry + modulepreloads) as served: brotli, gzip and plain bytes on the wire. */
export async function bundleOnTheWire(base: string, appDir = APP_DIR) {
  const { files } = initialJsGzip(appDir);
  const total = { br: 0, gzip: 0, identity: 0 };
  const encodings = new Set<string>();
  for (const f of files) {
    for (const enc of ["br", "gzip", "identity"] as const) {
      const r = await wireBytes(`${base}/${f}`, enc === "br" ? "gzip, deflate, br" : enc);
      total[enc] += r.bytes;
      encodings.add(`${enc}→${r.encoding}`);
    }
  }
  return { ...total, files, encodings: [...encodings] };
}

/**
 * A shared object URL opened in a fresh browser context (no cache, no stored session): from
 * navigation start to the chart on screen: its first paint (`heedy:first-paint`, drawn before
 * React, app/first-paint) or React's chart (`heedy:chart-drawn`), whichever comes first. `react`
 * is React's chart, when the page is in use. `waterfall` lists every request and `heedy:` mark up
 * to React's chart, in ms after navigation start.
 */
export async function coldLoad(
  browser: Browser,
  url: string,
): Promise<{ ms: number; react: number; firstPaint: boolean; waterfall: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await page.goto(url);
    // Nothing runs in the page until it is done: Playwright's first evaluate injects its utility
    // script (~20 ms of the page's main thread, a locator 20-45 ms), which would land in the
    // middle of the load. The marks are the page's own timestamps, read afterwards.
    await new Promise((ok) => setTimeout(ok, 1500));
    // No named functions in here: tsx would wrap them in a helper the page does not have.
    return await page.evaluate(async () => {
      const DRAWN = "heedy:chart-drawn";
      const PAINTED = "heedy:first-paint";
      await new Promise<void>((ok, fail) => {
        if (performance.getEntriesByName(DRAWN).length > 0) return ok();
        const observer = new PerformanceObserver(() => {
          if (performance.getEntriesByName(DRAWN).length === 0) return;
          observer.disconnect();
          ok();
        });
        observer.observe({ type: "mark" });
        setTimeout(() => fail(new Error("no chart drawn within 30 s")), 30_000);
      });
      const react = performance.getEntriesByName(DRAWN)[0]?.startTime ?? Number.NaN;
      const painted = performance.getEntriesByName(PAINTED)[0]?.startTime;
      const ms = Math.min(react, painted ?? react);
      const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
      const lines: [number, string][] = [];
      if (nav) {
        lines.push([nav.startTime, `document ${nav.requestStart.toFixed(0)}→${nav.responseEnd.toFixed(0)}`]);
        lines.push([nav.domInteractive, `domInteractive ${nav.domInteractive.toFixed(0)}`]);
        lines.push([
          nav.domContentLoadedEventStart,
          `DOMContentLoaded ${nav.domContentLoadedEventStart.toFixed(0)}`,
        ]);
      }
      for (const e of performance.getEntriesByType("resource") as PerformanceResourceTiming[]) {
        if (e.startTime > react) continue;
        const u = new URL(e.name);
        const path = (u.pathname + u.search).replace(/[0-9a-f-]{36}/, ":id").slice(0, 70);
        lines.push([e.startTime, `${path} ${e.startTime.toFixed(0)}→${e.responseEnd.toFixed(0)}`]);
      }
      for (const m of performance.getEntriesByType("mark")) {
        if (m.name.startsWith("heedy:") && m.startTime <= react)
          lines.push([m.startTime, `${m.name} ${m.startTime.toFixed(0)}`]);
      }
      return {
        ms,
        react,
        firstPaint: painted !== undefined,
        waterfall: lines.sort((a, b) => a[0] - b[0]).map((l) => l[1]),
      };
    });
  } finally {
    await context.close();
  }
}

export async function seed(base: string, name: string, n: number, end: number): Promise<string> {
  const headers = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
  const res = await fetch(`${base}/api/objects`, {
    method: "POST",
    headers,
    body: JSON.stringify({ name, type: "timeseries", app: "self", meta: {} }),
  });
  const { id } = (await res.json()) as { id: string };
  const start = end - n;
  for (let i = 0; i < n; i += BATCH) {
    const pts = new Array(Math.min(BATCH, n - i));
    for (let k = 0; k < pts.length; k++) pts[k] = sensorPoint(i + k, start);
    const r = await fetch(`${base}/api/objects/${id}/timeseries`, {
      method: "POST",
      headers,
      body: JSON.stringify(pts),
    });
    if (!r.ok) throw new Error(`seeding ${name}: ${r.status} ${await r.text()}`);
    await r.arrayBuffer();
  }
  return id;
}

/** Navigates inside the app (History API + popstate, as the router does) and times the first draw. */
async function openAndTime(page: Page, path: string, expectCount: RegExp): Promise<number> {
  const t0 = await page.evaluate((to) => {
    performance.clearMarks("heedy:chart-drawn");
    const start = performance.now();
    window.history.pushState(null, "", to);
    window.dispatchEvent(new PopStateEvent("popstate"));
    return start;
  }, path);
  await page.getByTestId("plot-count").filter({ hasText: expectCount }).waitFor({ timeout: 60_000 });
  await page.locator(".ts-chart[data-draws]").waitFor();
  return page.evaluate((start) => {
    const marks = performance.getEntriesByName("heedy:chart-drawn").filter((m) => m.startTime >= start);
    const w = window as unknown as { __benchTimeline?: string[] };
    w.__benchTimeline = (performance.getEntriesByType("resource") as PerformanceResourceTiming[])
      .filter((r) => r.startTime >= start)
      .map(
        (r) =>
          `${new URL(r.name).pathname.replace(/[0-9a-f-]{36}/, ":id").slice(0, 40)} ${(r.startTime - start).toFixed(0)}→${(r.responseEnd - start).toFixed(0)}`,
      );
    return marks.length > 0 ? marks[0]!.startTime - start : Number.NaN;
  }, t0);
}

/** Drags over [a, b] (fractions of the plot width) and times mouseup → the redraw of the new window. */
async function zoomAndTime(page: Page, a: number, b: number): Promise<number> {
  const over = page.locator(".ts-chart .u-over");
  const box = (await over.boundingBox())!;
  const before = await page.getByTestId("plot-count").textContent();
  await page.evaluate(() => {
    performance.clearMarks("heedy:chart-drawn");
    const w = window as unknown as { __mouseUp?: number };
    w.__mouseUp = undefined;
    window.addEventListener(
      "mouseup",
      () => {
        w.__mouseUp = performance.now();
      },
      { capture: true, once: true },
    );
  });
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * a, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * b, y, { steps: 4 });
  await page.mouse.up();
  // The new window's count, not the " · updating…" the old one shows while it is read, then its
  // draw: on a busy machine that came more than 50 ms after the text and the figure was NaN.
  await page.waitForFunction(
    (prev) => {
      const text = document.querySelector('[data-testid="plot-count"]')?.textContent ?? "";
      return text !== prev && !text.includes("updating");
    },
    before,
    { timeout: 60_000 },
  );
  await page.waitForFunction(
    () => {
      const up = (window as unknown as { __mouseUp?: number }).__mouseUp ?? Number.POSITIVE_INFINITY;
      return performance.getEntriesByName("heedy:chart-drawn").some((m) => m.startTime >= up);
    },
    undefined,
    { timeout: 10_000 },
  );
  await page.waitForTimeout(50);
  return page.evaluate(() => {
    const up = (window as unknown as { __mouseUp?: number }).__mouseUp ?? Number.NaN;
    const marks = performance.getEntriesByName("heedy:chart-drawn").filter((m) => m.startTime >= up);
    return marks.length > 0 ? marks[marks.length - 1]!.startTime - up : Number.NaN;
  });
}

export async function runUiBench(opts: { bigPoints?: number } = {}): Promise<void> {
  const bigPoints = opts.bigPoints ?? Number(process.env.BENCH_UI_BIG_POINTS ?? 10_000_000);
  console.log("\nBrowser viewer (headless Chromium, real server in a child process)");

  const js = initialJsGzip();
  report({
    name: "initial JS (gzip -9: entry, its preloads, the shell, the inline boot script)",
    value: `${(js.bytes / 1024).toFixed(1)} KB`,
    budget: "<= 150 KB",
    ok: js.bytes <= 150 * 1024,
    note: `${js.files.join(", ")} and the inline boot script (${(js.inline / 1024).toFixed(1)} KB)`,
  });

  const env = await startBenchEnv();
  const { base, browser } = env;
  try {
    const end = Math.floor(Date.now() / 1000);
    let t = performance.now();
    // Separate 1M-point objects, so every timed open reads its data for the first time.
    const millions: string[] = [];
    for (let i = 0; i < 12; i++) millions.push(await seed(base, `bench 1M #${i}`, 1_000_000, end));
    const big = await seed(base, `bench ${bigPoints.toLocaleString("en-US")}`, bigPoints, end);
    info(
      `seeded 12 × 1M + ${bigPoints.toLocaleString("en-US")} points in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );

    const wire = await bundleOnTheWire(base);
    report({
      name: "initial JS on the wire (entry, its preloads and the shell, precompressed)",
      value: `${(wire.br / 1024).toFixed(1)} KB brotli`,
      budget: "<= 150 KB",
      ok: wire.br <= 150 * 1024,
      note: `gzip ${(wire.gzip / 1024).toFixed(1)} KB, uncompressed ${(wire.identity / 1024).toFixed(1)} KB (${wire.encodings.join(", ")})`,
    });
    // A link someone shared, opened with nothing cached: new context every time.
    await coldLoadFigure(browser, base, millions);

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${base}/#token=${TOKEN}`);
    await page.getByText("bench 1M").first().waitFor({ timeout: 30_000 });

    // Cold: the object page's and the chart's chunks load during this first open.
    const network: string[] = [];
    const onResponse = (r: { url(): string }) => {
      const u = new URL(r.url());
      network.push(u.pathname.replace(/[0-9a-f-]{36}/, ":id") + u.search);
    };
    page.on("response", onResponse);
    const cold = await openAndTime(page, `/objects/${millions[0]}`, /^1,000 points/);
    page.off("response", onResponse);
    info(`first open made these requests: ${network.join("  ")}`);
    // A person looks at the list first: once the shell is idle, the app prefetches the object page
    // and chart chunks, so a first open a moment after sign-in no longer waits for them.
    const idlePage = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await idlePage.goto(`${base}/#token=${TOKEN}`);
    await idlePage.getByText("bench 1M").first().waitFor({ timeout: 30_000 });
    await idlePage.waitForTimeout(1500);
    const idleFirst = await openAndTime(idlePage, `/objects/${millions[11]}`, /^1,000 points/);
    await idlePage.close();
    info(`first open 1.5 s after the list appeared (chunks prefetched while idle): ${fmt.ms(idleFirst)}`);
    // Warm: chunks loaded, but each object and its data are read for the first time.
    const warm: number[] = [];
    const all: number[] = [];
    for (let i = 1; i <= 5; i++) {
      warm.push(await openAndTime(page, `/objects/${millions[i]}`, /^1,000 points/));
      all.push(await openAndTime(page, `/objects/${millions[i + 5]}?range=all`, /^1,000,000 points/));
    }
    report({
      name: "open 1M-point object → chart drawn (last 1,000 points, median of 5)",
      value: fmt.ms(median(warm)),
      budget: "<= 300 ms",
      ok: median(warm) <= 300,
      note: `first open in the session (chunks loading): ${fmt.ms(cold)}`,
    });
    info(
      `last "all" open, requests (ms after navigation, start→end): ${(await page.evaluate(() => (window as unknown as { __benchTimeline?: string[] }).__benchTimeline ?? [])).join("  ")}`,
    );
    report({
      name: "open 1M-point object → chart drawn (all 1M points, 2,000 columns, median of 5)",
      value: fmt.ms(median(all)),
      budget: "<= 300 ms",
      ok: median(all) <= 300,
    });

    // Zoom on the big series: from "all" drag a window, time mouseup → redraw with new data.
    const zooms: number[] = [];
    for (let i = 0; i < 5; i++) {
      await openAndTime(page, `/objects/${big}?range=all&z=${i}`, /drawn from/);
      const a = 0.1 + i * 0.15;
      zooms.push(await zoomAndTime(page, a, a + 0.1));
    }
    report({
      name: `zoom refetch on a ${bigPoints.toLocaleString("en-US")}-point series → redrawn (median of 5)`,
      value: fmt.ms(median(zooms)),
      budget: "<= 250 ms",
      ok: median(zooms) <= 250,
      note: `all: ${zooms.map((z) => z.toFixed(0)).join(", ")} ms`,
    });
    // Explore with ten 1M-point series (issue 13): navigation → every series drawn.
    const exploreOnce = async (range: string) => {
      const path = `/explore?${millions
        .slice(0, 10)
        .map((id) => `s=${id}`)
        .join("&")}&${range}`;
      const t0 = await page.evaluate((to) => {
        performance.clearMarks("heedy:explore-drawn");
        const start = performance.now();
        window.history.pushState(null, "", to);
        window.dispatchEvent(new PopStateEvent("popstate"));
        return start;
      }, path);
      await page
        .getByTestId("explore-status")
        .filter({ hasText: /^10 series · 10,000,000 points/ })
        .waitFor({ timeout: 60_000 });
      await page.locator(".explore-chart[data-draws]").waitFor();
      await page.waitForTimeout(100);
      return page.evaluate((start) => {
        const marks = performance.getEntriesByName("heedy:explore-drawn").filter((m) => m.startTime >= start);
        return marks.length > 0 ? marks[marks.length - 1]!.startTime - start : Number.NaN;
      }, t0);
    };
    const exploreCold = await exploreOnce("from=now-13d&to=now");
    const explores: number[] = [];
    for (let i = 0; i < 5; i++) explores.push(await exploreOnce(`from=now-${12 + i}d${i}h&to=now`));
    report({
      name: "Explore with ten 1M-point series: navigation → all drawn (median of 5)",
      value: fmt.ms(median(explores)),
      budget: "<= 600 ms",
      ok: median(explores) <= 600,
      note: `first (Explore chunk loading): ${fmt.ms(exploreCold)}; all: ${explores.map((z) => z.toFixed(0)).join(", ")} ms`,
    });

    t = performance.now();
    await page.close();
  } finally {
    await env.close();
  }
}

/**
 * A built server in a child process on a fresh data folder, and Debian's Chromium. `close` stops
 * both and removes the folder, also when the browser failed to launch.
 */
export async function startBenchEnv(
  main = MAIN,
): Promise<{ base: string; browser: Browser; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "heedy-bench-ui-"));
  execFileSync(
    process.execPath,
    [main, "create", dir, "--username", "bench", "--password", "bench-pass", "--testapp", TOKEN],
    { stdio: "ignore" },
  );
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    process.execPath,
    [main, "start", dir, "--host", "127.0.0.1", "--port", String(port)],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await new Promise<void>((ok) => {
      if (child.exitCode !== null) return ok();
      child.once("exit", () => ok());
      child.kill("SIGTERM");
    });
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
      ],
    });
    await waitForServer(`${base}/api/server/version`, { child, timeoutMs: 10_000 });
    return { base, browser, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** Cold loads of a shared object URL per figure, over up to five 1M-point series. */
const COLD_RUNS = 9;

async function coldLoadFigure(browser: Browser, base: string, ids: readonly string[]): Promise<void> {
  const runs: Awaited<ReturnType<typeof coldLoad>>[] = [];
  // Nine runs: one cold load swings by 100 ms and more on a small busy machine, and a median of
  // five moved with it. The series are taken in turn; each run has a new browser context.
  for (let i = 0; i < COLD_RUNS; i++) {
    const id = ids[i % Math.min(ids.length, 5)]!;
    runs.push(await coldLoad(browser, `${base}/objects/${id}/data?from=now-6h&to=now#token=${TOKEN}`));
  }
  const colds = runs.map((r) => r.ms);
  const painted = runs.filter((r) => r.firstPaint).length;
  report({
    name: `cold page load of a shared object URL → chart drawn (new context, median of ${COLD_RUNS})`,
    value: fmt.ms(median(colds)),
    budget: "<= 300 ms",
    ok: median(colds) <= 300,
    note: `all: ${colds.map((c) => c.toFixed(0)).join(", ")} ms; drawn by the first paint in ${painted} of ${runs.length}; React's chart (page in use): ${fmt.ms(median(runs.map((r) => r.react)))} median`,
  });
  for (const r of process.env.BENCH_COLD_ALL ? runs : [])
    info(`${r.ms.toFixed(0)}: ${r.waterfall.join("  ")}`);
  const mid = runs.find((r) => r.ms === median(colds));
  if (mid) info(`median cold load, ms after navigation start: ${mid.waterfall.join("  ")}`);
}

/** The cold page load alone (`BENCH_ONLY=cold`): five fresh 1M-point series, nothing else seeded. */
export async function runColdBench(): Promise<void> {
  console.log("\nBrowser cold load (headless Chromium, real server in a child process)");
  const env = await startBenchEnv();
  try {
    const end = Math.floor(Date.now() / 1000);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await seed(env.base, `bench 1M #${i}`, 1_000_000, end));
    await coldLoadFigure(env.browser, env.base, ids);
  } finally {
    await env.close();
  }
}

// Run on its own (after `npm run build`): `node --import tsx src/bench/ui-viewer.ts`.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await (process.env.BENCH_ONLY === "cold" ? runColdBench() : runUiBench());
}
