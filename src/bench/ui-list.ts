/**
 * Browser figures of the object list (issue 14, item 8), with Playwright on Debian's Chromium
 * against the real built server: 10,000 objects, some with data.
 *
 * - open → rows shown: from an in-app navigation to `/` (listing read, sorted, first rows
 *   rendered) to the first rows painted;
 * - scroll jump → rows shown: from a jump to a far scroll position to the rows there painted;
 * - rendered rows and fact reads after the open: only the rows in view.
 *
 * Environment: BENCH_LIST_OBJECTS (default 10,000), CHROMIUM_PATH (default /usr/bin/chromium).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Page } from "@playwright/test";
import { freePort, waitForServer } from "../server/test-net.js";
import { fmt, info, median, report } from "./bench-util.js";

const here = dirname(fileURLToPath(import.meta.url));
const MAIN = resolve(here, "../../dist/node/server/main.js");
const TOKEN = "bench-list-token-0123456789";

async function seedObjects(base: string, n: number): Promise<void> {
  const headers = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
  const now = Math.floor(Date.now() / 1000);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < n; i = next++) {
      const data =
        i % 10 === 0
          ? Array.from({ length: 24 }, (_, k) => ({ t: now - 86_000 + k * 3_600, d: k + i }))
          : undefined;
      const res = await fetch(`${base}/api/objects`, {
        method: "POST",
        headers,
        body: JSON.stringify({
          name: `sensor ${String(i).padStart(5, "0")}`,
          type: "timeseries",
          app: "self",
          tags: `room${i % 20} floor${i % 3}`,
          description: i % 4 === 0 ? `Sensor number ${i}, somewhere in the house` : "",
          ...(data ? { data } : {}),
        }),
      });
      if (!res.ok) throw new Error(`seeding: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** In-app navigation to the list (as the router does); resolves with ms until `ready` holds. */
async function openList(page: Page, expectCount: string): Promise<number> {
  const start = await page.evaluate(() => {
    const t = performance.now();
    window.history.pushState(null, "", "/");
    window.dispatchEvent(new PopStateEvent("popstate"));
    return t;
  });
  await page.getByText(expectCount).waitFor({ timeout: 60_000 });
  await page.locator('[data-testid="object-row"]').first().waitFor();
  // The next frame is the one that shows the rows.
  return page.evaluate(
    (t0) => new Promise<number>((ok) => requestAnimationFrame(() => ok(performance.now() - t0))),
    start,
  );
}

/**
 * The page-side measurement as source text: tsx would wrap named functions in a helper the page
 * does not have.
 */
const SCROLL_JUMP = `(f) => new Promise((ok) => {
  const t0 = performance.now();
  window.scrollTo(0, Math.floor(document.documentElement.scrollHeight * f));
  const check = () => {
    const rows = document.querySelectorAll('[data-testid="object-row"]');
    const first = rows[0] && rows[0].getBoundingClientRect();
    const last = rows[rows.length - 1] && rows[rows.length - 1].getBoundingClientRect();
    // Rows cover the viewport: no blank gap left where the jump landed.
    if (first && last && first.top <= 0 && last.bottom >= window.innerHeight) ok(performance.now() - t0);
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})`;

async function scrollJump(page: Page, fraction: number): Promise<number> {
  return page.evaluate(`(${SCROLL_JUMP})(${fraction})`) as Promise<number>;
}

export async function runListBench(opts: { objects?: number } = {}): Promise<void> {
  const n = opts.objects ?? Number(process.env.BENCH_LIST_OBJECTS ?? 10_000);
  console.log("\nBrowser object list (headless Chromium, real server in a child process)");
  const dir = mkdtempSync(join(tmpdir(), "heedy-bench-list-"));
  execFileSync(
    process.execPath,
    [MAIN, "create", dir, "--username", "bench", "--password", "bench-pass", "--testapp", TOKEN],
    { stdio: "ignore" },
  );
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    process.execPath,
    [MAIN, "start", dir, "--host", "127.0.0.1", "--port", String(port)],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
  });
  try {
    await waitForServer(`${base}/api/server/version`, { child, timeoutMs: 10_000 });
    let t = performance.now();
    await seedObjects(base, n);
    info(`seeded ${n.toLocaleString("en-US")} objects in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const factReads: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/timeseries/length")) factReads.push(r.url());
    });
    // Start on another page of the app, so each open below re-renders the list from scratch.
    await page.goto(`${base}/nowhere#token=${TOKEN}`);
    await page.getByText("Page not found").waitFor({ timeout: 30_000 });
    const countText = `${n.toLocaleString("en-US")} objects`;
    const opens: number[] = [];
    for (let i = 0; i < 5; i++) {
      opens.push(await openList(page, countText));
      await page.evaluate(() => {
        window.history.pushState(null, "", "/nowhere");
        window.dispatchEvent(new PopStateEvent("popstate"));
      });
      await page.getByText("Page not found").waitFor();
    }
    report({
      name: `open the list of ${n.toLocaleString("en-US")} objects → rows shown (median of 5)`,
      value: fmt.ms(median(opens)),
      budget: "<= 300 ms",
      ok: median(opens) <= 300,
      note: `all: ${opens.map((o) => o.toFixed(0)).join(", ")} ms (listing read each time)`,
    });
    await openList(page, countText);
    await page.waitForTimeout(600);
    const rendered = await page.locator('[data-testid="object-row"]').count();
    info(`rows in the DOM: ${rendered}; fact reads after the open: ${new Set(factReads).size}`);

    const jumps: number[] = [];
    for (const f of [0.5, 0.9, 0.1, 0.7, 0.3]) jumps.push(await scrollJump(page, f));
    report({
      name: `scroll jump in ${n.toLocaleString("en-US")} objects → rows painted (median of 5)`,
      value: fmt.ms(median(jumps)),
      budget: "<= 50 ms",
      ok: median(jumps) <= 50,
      note: `all: ${jumps.map((j) => j.toFixed(0)).join(", ")} ms; rows rendered: ${rendered}`,
    });
    t = performance.now();
    await page.close();
  } finally {
    await browser.close();
    await new Promise<void>((ok) => {
      if (child.exitCode !== null) return ok();
      child.once("exit", () => ok());
      child.kill("SIGTERM");
    });
    rmSync(dir, { recursive: true, force: true });
  }
}

// Run on its own (after `npm run build`): `node --import tsx src/bench/ui-list.ts`.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await runListBench();
}
