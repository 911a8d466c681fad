/**
 * A cold link to an object's Data tab draws its page and chart before React is loaded (the first
 * paint, src/ui/app/first-paint/), and React's page then replaces it. These hold React's code back
 * (the shell chunk answers late), so the first paint stays on screen long enough to be compared
 * with the page that replaces it.
 */
import type { Page } from "@playwright/test";
import { expect, type RealServer, test } from "./fixtures";

const HOLD_MS = 2500;
/**
 * The worker's server is shared: names that sort after the other specs' objects and tags of their
 * own keep these out of the list views later specs look at (it is virtualised).
 */
const NAME = "zz first paint";

async function createSeries(server: RealServer, name: string, fields: Record<string, unknown> = {}) {
  const o = await server.api<{ id: string }>("POST", "/api/objects", {
    name,
    type: "timeseries",
    app: "self",
    meta: {},
    ...fields,
  });
  const now = Math.floor(Date.now() / 1000);
  const points = Array.from({ length: 3000 }, (_, i) => ({ t: now - 3000 + i, d: 20 + Math.sin(i / 300) }));
  await server.api("POST", `/api/objects/${o.id}/timeseries`, points);
  return o.id;
}

/** Holds back React's code (the app shell) until `release()`. */
async function holdShell(page: Page) {
  let release: () => void = () => undefined;
  const released = new Promise<void>((ok) => {
    release = ok;
  });
  await page.route(/\/assets\/shell-[^/]+\.js$/, async (route) => {
    await Promise.race([released, new Promise((ok) => setTimeout(ok, HOLD_MS * 4))]);
    await route.continue();
  });
  return release;
}

/** Where the page's landmarks are, in the first paint's overlay or in React's page. */
async function layout(page: Page, root: string) {
  return page.evaluate((root) => {
    const box = (selector: string) => {
      const el = document.querySelector(`${root} ${selector}`);
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return [Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height)];
    };
    return {
      topbar: box(".topbar"),
      title: box(".object-header h1"),
      tabs: box(".tabs"),
      stats: box(".stats"),
      toolbar: box(".ts-toolbar"),
      status: box(".ts-status"),
      chart: box(".ts-chart-plot canvas"),
    };
  }, root);
}

/** Everything above the chart (all the first paint promises) within 2 px, and the chart itself. */
function expectClose(a: Record<string, number[] | null>, b: Record<string, number[] | null>) {
  const chartTop = b.chart?.[1] ?? 0;
  for (const key of Object.keys(a)) {
    const [x, y] = [a[key], b[key]];
    expect(y, `${key} in React's page`).not.toBeNull();
    // On a phone the stats follow the chart, after parts the first paint does not draw.
    if (key !== "chart" && y![1]! >= chartTop) continue;
    expect(x, `${key} in the first paint`).not.toBeNull();
    for (let i = 0; i < 4; i++)
      expect(Math.abs(x![i]! - y![i]!), `${key}[${i}]: ${x} vs ${y}`).toBeLessThanOrEqual(2);
  }
}

for (const { viewport, query } of [
  { viewport: { width: 1280, height: 800 }, query: "from=now-1h&to=now" },
  { viewport: { width: 390, height: 844 }, query: "from=now-1h&to=now" },
  // A custom range names itself on its button, and Live adds to the status line: both wrap on a phone.
  { viewport: { width: 390, height: 844 }, query: "from=now-40m&to=now-5m&refresh=10s" },
]) {
  test(`at ${viewport.width} px (${query}) the first paint lays the page out as React does, then gives way`, async ({
    browser,
    server,
  }) => {
    const id = await createSeries(server, `${NAME} ${viewport.width}`, {
      tags: "fp-room fp-sensor",
      key: `fp-${viewport.width}-${query.length}`,
    });
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const release = await holdShell(page);
    await page.goto(`${server.url}/objects/${id}/data?${query}#token=${server.token}`);

    const overlay = page.locator(".first-paint");
    await expect(overlay.locator(".ts-chart-plot canvas")).toHaveCount(1);
    await expect(overlay).toHaveAttribute("aria-hidden", "true");
    await expect(overlay.locator("h1")).toHaveText(`${NAME} ${viewport.width}`);
    await expect(overlay.locator(".ts-status")).toHaveText(/^3,000 points|^[0-9,]+ points/);
    // React has not run: nothing of its page is there yet.
    await expect(page.locator("#root > *")).toHaveCount(0);
    const painted = await layout(page, ".first-paint");
    await page.screenshot({
      path: `test-results/screenshots/first-paint-${viewport.width}-${query.length}.png`,
    });

    release();
    // React's chart drawn: the overlay is gone and one chart is left, React's, in the same place.
    await expect(page.getByTestId("chart").locator("canvas")).toHaveCount(1);
    await expect(overlay).toHaveCount(0);
    await expect(page.locator(".uplot")).toHaveCount(1);
    expectClose(painted, await layout(page, "#root"));
    await context.close();
  });
}

test("a person's cookie session gets the first paint with their navigation, laid out as React's", async ({
  browser,
  server,
}) => {
  const id = await createSeries(server, `${NAME} person`);
  // Sign in with the password once, then open the link cold with that cookie.
  const login = await browser.newContext();
  const loginPage = await login.newPage();
  await loginPage.goto(server.url);
  await loginPage.getByLabel("Username").fill("test");
  await loginPage.getByLabel("Password", { exact: true }).fill("test");
  await loginPage.getByRole("button", { name: "Log in" }).click();
  await expect(loginPage.getByRole("navigation", { name: "Main" })).toBeVisible();
  const context = await browser.newContext({ storageState: await login.storageState() });
  await login.close();
  const page = await context.newPage();
  const release = await holdShell(page);
  await page.goto(`${server.url}/objects/${id}/data?from=now-1h&to=now`);
  const overlay = page.locator(".first-paint");
  await expect(overlay.locator(".ts-chart-plot canvas")).toHaveCount(1);
  await expect(overlay.locator(".nav-link")).toHaveText(["Objects", "Apps", "Account", "Users"]);
  const painted = await layout(page, ".first-paint");
  release();
  await expect(page.getByTestId("chart").locator("canvas")).toHaveCount(1);
  await expect(overlay).toHaveCount(0);
  expectClose(painted, await layout(page, "#root"));
  await context.close();
});

test("no first paint for a refused token: sign-in shows", async ({ browser, server }) => {
  const id = await createSeries(server, `${NAME} refused`);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/objects/${id}/data#token=not-a-token`);
  await expect(page.getByRole("heading", { name: /sign in/i })).toBeVisible();
  await expect(page.locator(".first-paint")).toHaveCount(0);
  expect(await page.evaluate(() => performance.getEntriesByName("heedy:first-paint").length)).toBe(0);
  await context.close();
});

test("a page other than the Data tab has no first paint, and React draws it", async ({ browser, server }) => {
  const id = await createSeries(server, `${NAME} schema tab`);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/objects/${id}/schema#token=${server.token}`);
  await expect(page.getByRole("tab", { name: "Schema" })).toHaveAttribute("aria-selected", "true");
  await expect(page.locator(".first-paint")).toHaveCount(0);
  expect(await page.evaluate(() => performance.getEntriesByName("heedy:first-paint").length)).toBe(0);
  await context.close();
});

test("an empty series gives way to React's message, with no chart left behind", async ({
  browser,
  server,
}) => {
  const o = await server.api<{ id: string }>("POST", "/api/objects", {
    name: `${NAME} empty`,
    type: "timeseries",
    app: "self",
    meta: {},
  });
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/objects/${o.id}/data#token=${server.token}`);
  await expect(page.getByTestId("chart-empty")).toContainText("No data yet");
  await expect(page.locator(".first-paint")).toHaveCount(0);
  await expect(page.locator("canvas")).toHaveCount(0);
  await context.close();
});

test("a cold link's first reads leave while the page is parsed, once each, under the page's policy", async ({
  browser,
  server,
}) => {
  const id = await createSeries(server, `${NAME} early reads`);
  const context = await browser.newContext();
  const page = await context.newPage();
  // The page's own record of what its policy refused (an inline script without its hash would be).
  await page.addInitScript(() => {
    const w = window as unknown as { refused: string[] };
    w.refused = [];
    document.addEventListener("securitypolicyviolation", (e) => w.refused.push(e.violatedDirective));
  });
  await page.goto(`${server.url}/objects/${id}/data?from=now-1h&to=now#token=${server.token}`);
  await expect(page.getByTestId("chart").locator("canvas")).toHaveCount(1);
  await expect(page.getByTestId("plot-count")).toContainText("3,000 points");

  expect(await page.evaluate(() => (window as unknown as { refused: string[] }).refused)).toEqual([]);
  const reads = await page.evaluate(() => {
    const parsed = (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming)
      .domInteractive;
    const painted = performance.getEntriesByName("heedy:first-paint")[0]?.startTime ?? 0;
    return (performance.getEntriesByType("resource") as PerformanceResourceTiming[])
      .filter((r) => r.initiatorType === "fetch" && r.startTime < painted)
      .map((r) => ({ path: new URL(r.name).pathname, early: r.startTime < parsed }));
  });
  const paths = (list: { path: string }[]) => list.map((r) => r.path.replace(id, ":id")).sort();
  // Sent by the inline first script before the document was even parsed, and taken by the app:
  // up to the first paint (drawn from them) nothing was asked for twice, nor anything else.
  expect(paths(reads.filter((r) => r.early))).toEqual([
    "/api/apps/self",
    "/api/objects/:id",
    "/api/objects/:id/timeseries/plot",
  ]);
  expect(paths(reads.filter((r) => !r.early))).toEqual([]);
  await context.close();
});
