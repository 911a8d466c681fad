import type { Page, Request } from "@playwright/test";
import { expect, type RealServer, test } from "./fixtures";

const shot = (name: string) => `test-results/screenshots/viewer-${name}.png`;

interface Created {
  id: string;
}

async function createSeries(
  server: RealServer,
  name: string,
  points: { t: number; d: unknown; dt?: number }[],
  schema: Record<string, unknown> = {},
): Promise<string> {
  const o = await server.api<Created>("POST", "/api/objects", {
    name,
    type: "timeseries",
    app: "self",
    meta: { schema },
  });
  for (let i = 0; i < points.length; i += 50_000) {
    await server.api("POST", `/api/objects/${o.id}/timeseries`, points.slice(i, i + 50_000));
  }
  return o.id;
}

/** Opens an object page signed in through a `#token=` link (src/ui/shared/session/session-store.ts). */
async function open(page: Page, server: RealServer, id: string, query = "") {
  await page.goto(`${server.url}/objects/${id}${query}#token=${server.token}`);
}

/** The chart's plot reads (the data table counts its range with one-column plot reads: not these). */
function isPlot(id: string) {
  return (r: Request) =>
    r.url().includes(`/api/objects/${id}/timeseries/plot`) && params(r).get("columns") !== "1";
}

function params(r: Request): URLSearchParams {
  return new URL(r.url()).searchParams;
}

async function drawn(page: Page) {
  await expect(page.locator(".ts-chart canvas")).toHaveCount(1);
  await expect(page.locator(".ts-chart[data-draws]")).toHaveCount(1);
}

const now = () => Date.now() / 1000;

test("a seeded series is plotted with its legend; screenshots light and dark", async ({ page, server }) => {
  const t0 = now() - 100 * 60;
  const points = Array.from({ length: 100 }, (_, i) => ({
    t: t0 + i * 60,
    d: Math.round(20 + 5 * Math.sin(i / 8)),
  }));
  points[99]!.d = 42;
  const id = await createSeries(server, "Temperature", points);
  await page.emulateMedia({ colorScheme: "light" });
  await open(page, server, id);
  await drawn(page);
  await expect(page.getByTestId("plot-count")).toHaveText("100 points");
  const legend = page.getByRole("list", { name: "Legend" });
  await expect(legend).toContainText("value");
  await expect(legend).toContainText("42");
  // The tooltip shows the time and value under the cursor.
  const over = page.locator(".ts-chart .u-over");
  const box = (await over.boundingBox())!;
  await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2);
  await expect(page.locator(".ts-tooltip")).toBeVisible();
  await expect(page.locator(".ts-tooltip")).toContainText("value: 42");
  await page.mouse.move(box.x + box.width / 2, box.y - 40);
  await page.locator(".ts-viewer").screenshot({ path: shot("100-light") });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.waitForTimeout(200);
  await page.locator(".ts-viewer").screenshot({ path: shot("100-dark") });

  // Time zone choice: the tooltip names the zone.
  await page.getByLabel("Time zone").selectOption("UTC");
  await drawn(page);
  const over2 = page.locator(".ts-chart .u-over");
  const box2 = (await over2.boundingBox())!;
  await page.mouse.move(box2.x + box2.width - 2, box2.y + box2.height / 2);
  await expect(page.locator(".ts-tooltip")).toContainText("UTC");
});

test("each range preset changes the query, and the raw range is kept in the URL", async ({
  page,
  server,
}) => {
  const t0 = now() - 40 * 86400;
  const id = await createSeries(
    server,
    "Presets",
    Array.from({ length: 400 }, (_, i) => ({ t: t0 + i * 8640, d: i })),
  );
  // Opened on a range no preset has: a window read moments ago is shown again without a new read
  // (plot-read.ts), and each preset below must be read for the first time.
  await open(page, server, id, "?from=now-45d&to=now-1d");
  await drawn(page);
  const cases: { label: string; check(p: URLSearchParams): void; url: RegExp }[] = [
    { label: "1 h", check: (p) => expectWindow(p, 3600), url: /from=now-1h&to=now/ },
    { label: "6 h", check: (p) => expectWindow(p, 6 * 3600), url: /from=now-6h&to=now/ },
    { label: "24 h", check: (p) => expectWindow(p, 86400), url: /from=now-24h&to=now/ },
    { label: "7 d", check: (p) => expectWindow(p, 7 * 86400), url: /from=now-7d&to=now/ },
    { label: "30 d", check: (p) => expectWindow(p, 30 * 86400), url: /from=now-30d&to=now/ },
    {
      label: "All",
      check: (p) => {
        expect(p.get("t1")).toBeNull();
        expect(p.get("i1")).toBeNull();
      },
      url: /range=all/,
    },
    {
      label: "Last 1,000 points",
      check: (p) => {
        expect(p.get("i1")).toBe("-1000");
        expect(p.get("t1")).toBeNull();
      },
      url: /points=1000/,
    },
  ];
  for (const c of cases) {
    const request = page.waitForRequest(isPlot(id));
    await page.getByRole("button", { name: c.label, exact: true }).click();
    c.check(params(await request));
    await expect(page).toHaveURL(c.url);
    await expect(page.getByRole("button", { name: c.label, exact: true })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
  }
  await expect(page.getByTestId("plot-count")).toHaveText("400 points");

  // Custom: a relative string and an absolute date; a bad string is refused with advice.
  await page.getByRole("button", { name: "Custom" }).click();
  await page.getByLabel("From").fill("now-2d12h");
  await page.getByLabel("To").fill("now-1d");
  let request = page.waitForRequest(isPlot(id));
  await page.getByRole("button", { name: "Apply" }).click();
  const p = params(await request);
  expect(Number(p.get("t2")) - Number(p.get("t1"))).toBeCloseTo(1.5 * 86400, -1);
  await expect(page).toHaveURL(/from=now-2d12h&to=now-1d/);
  // The shared link shows the same relative window after a reload.
  request = page.waitForRequest(isPlot(id));
  await page.reload();
  const again = params(await request);
  expect(Number(again.get("t2")) - Number(again.get("t1"))).toBeCloseTo(1.5 * 86400, -1);

  await page.getByRole("button", { name: /now-2d12h/ }).click();
  await page.getByLabel("From").fill("yesterday-ish");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByRole("alert")).toContainText('"yesterday-ish" is not a time');
  await page.getByLabel("From").fill("2020-01-01T00:00:00Z");
  await page.getByLabel("To").fill("2020-01-02");
  request = page.waitForRequest(isPlot(id));
  await page.getByRole("button", { name: "Apply" }).click();
  expect(params(await request).get("t1")).toBe(String(Date.UTC(2020, 0, 1) / 1000));
  await expect(page.getByTestId("chart-empty")).toContainText("No points in");
});

function expectWindow(p: URLSearchParams, seconds: number) {
  const t1 = Number(p.get("t1"));
  const t2 = Number(p.get("t2"));
  expect(t2 - t1).toBeCloseTo(seconds, 0);
  expect(Math.abs(t2 - now())).toBeLessThan(30);
}

test("drag to zoom refetches that window; the URL round-trips; double-click resets", async ({
  page,
  server,
}) => {
  const t0 = now() - 50_000;
  const id = await createSeries(
    server,
    "Zoom",
    Array.from({ length: 50_000 }, (_, i) => ({ t: t0 + i, d: Math.sin(i / 500) * 10 + (i % 97) / 10 })),
  );
  await open(page, server, id, "?range=all");
  await drawn(page);
  await expect(page.getByTestId("plot-count")).toHaveText("50,000 points, drawn from 2,000 columns");
  const over = page.locator(".ts-chart .u-over");
  const box = (await over.boundingBox())!;
  const request = page.waitForRequest(isPlot(id));
  await page.mouse.move(box.x + box.width * 0.25, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  const p = params(await request);
  const t1 = Number(p.get("t1"));
  const t2 = Number(p.get("t2"));
  expect(t1).toBeGreaterThan(t0 + 50_000 * 0.2);
  expect(t2).toBeLessThan(t0 + 50_000 * 0.55);
  await expect(page).toHaveURL(/from=\d{4}-\d\d-\d\dT.*Z&to=\d{4}-/);
  await expect(page.getByTestId("plot-count")).toContainText(/^1[0-9],\d{3} points/);
  await expect(page.getByRole("button", { name: "Reset zoom" })).toBeEnabled();

  // Panning moves the window by half its width and refetches it; back again, the cached window shows.
  const beforePan = page.url();
  const panned = page.waitForRequest(isPlot(id));
  await page.getByRole("button", { name: "← Earlier" }).click();
  const q = params(await panned);
  expect(Number(q.get("t1"))).toBeCloseTo(t1 - (t2 - t1) / 2, 1);
  await page.getByRole("button", { name: "Later →" }).click();
  await expect(page).toHaveURL(beforePan);

  // A reload of the zoomed URL asks for the same window.
  const zoomedUrl = page.url();
  const reload = page.waitForRequest(isPlot(id));
  await page.goto(`${zoomedUrl}#token=${server.token}`);
  const r = params(await reload);
  expect(Math.abs(Number(r.get("t1")) - t1)).toBeLessThan(0.002);
  expect(Math.abs(Number(r.get("t2")) - t2)).toBeLessThan(0.002);
  await drawn(page);

  // Double-click resets (to the default range after a reload, to "all" within the session).
  const reset = page.waitForRequest(isPlot(id));
  await page.locator(".ts-chart .u-over").dblclick();
  expect(params(await reset).get("i1")).toBe("-1000");
  await expect(page).toHaveURL(/points=1000/);
});

test("live refresh shows a point appended through the API, and pauses while zoomed", async ({
  page,
  server,
}) => {
  const t0 = now() - 600;
  const id = await createSeries(
    server,
    "Live",
    Array.from({ length: 60 }, (_, i) => ({ t: t0 + i * 10, d: i })),
  );
  // Without WebSocket (as behind a proxy that strips upgrades) Live falls back to polling; the
  // pushed path is e2e/live.spec.ts.
  await page.addInitScript(() => {
    Object.defineProperty(window, "WebSocket", { value: undefined });
  });
  await open(page, server, id, "?from=now-1h&to=now&refresh=5s");
  await drawn(page);
  await expect(page.getByTestId("plot-status")).toContainText("Live: refreshing every 5 s");
  await expect(page.getByTestId("live-mode")).toHaveText("(polling)");
  await expect(page.getByRole("list", { name: "Legend" })).toContainText("59");
  await server.api("POST", `/api/objects/${id}/timeseries`, [{ t: now(), d: 12345 }]);
  await expect(page.getByRole("list", { name: "Legend" })).toContainText("12,345", { timeout: 12_000 });
  await expect(page.getByTestId("plot-count")).toContainText("61 points");

  // An append made in the app shows at once (no waiting for the interval).
  await page.getByLabel("Live").uncheck();
  const form = page.locator(".append-form");
  await form.getByLabel("Value").fill("777");
  await form.getByRole("button", { name: "Append" }).click();
  await expect(page.getByRole("list", { name: "Legend" })).toContainText("777");

  // Zooming pauses live refresh, and says so.
  await page.getByLabel("Live").check();
  const over = page.locator(".ts-chart .u-over");
  const box = (await over.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.6, box.y + 20);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.9, box.y + 20, { steps: 4 });
  await page.mouse.up();
  await expect(page.getByTestId("live-paused")).toContainText("Live refresh paused while zoomed in");
  await page.getByRole("button", { name: "Reset zoom" }).click();
  await expect(page.getByTestId("live-paused")).toHaveCount(0);
  await expect(page).toHaveURL(/from=now-1h&to=now/);
});

test("booleans, objects with numeric fields, durations and strings are all drawn", async ({
  page,
  server,
}) => {
  const t0 = now() - 3000;
  const objects = await createSeries(
    server,
    "Weather",
    Array.from({ length: 50 }, (_, i) => ({
      t: t0 + i * 60,
      d: {
        temp: 20 + Math.sin(i / 5) * 3,
        humidity: 50 + i / 2,
        raining: i % 10 < 3,
        sky: i % 7 < 3 ? "cloudy" : "sunny",
      },
    })),
  );
  await open(page, server, objects);
  await drawn(page);
  const legend = page.getByRole("list", { name: "Legend" });
  for (const name of ["humidity", "raining", "temp", "sky"]) await expect(legend).toContainText(name);
  const humidity = legend.getByRole("button", { name: /humidity/ });
  await humidity.click();
  await expect(humidity).toHaveAttribute("aria-pressed", "false");
  await page.locator(".ts-viewer").screenshot({ path: shot("objects-light") });
  await humidity.click();
  await expect(humidity).toHaveAttribute("aria-pressed", "true");

  const spans = await createSeries(
    server,
    "Sleep",
    Array.from({ length: 12 }, (_, i) => ({ t: t0 + i * 250, dt: 180, d: i % 2 === 0 ? "deep" : "light" })),
  );
  await open(page, server, spans);
  await drawn(page);
  await expect(page.getByRole("list", { name: "Legend" })).toContainText("light");
  await page.locator(".ts-viewer").screenshot({ path: shot("events-light") });
});

test("an empty series says what to do", async ({ page, server }) => {
  const id = await createSeries(server, "Empty", []);
  await open(page, server, id);
  await expect(page.getByTestId("chart-empty")).toContainText("No data yet");
  await page.getByRole("button", { name: "Add a datapoint" }).click();
  await expect(page.locator(".append-form").getByLabel("Value")).toBeFocused();
});

test("without the server's plot read, the browser downsamples in a worker", async ({ page, server }) => {
  const t0 = now() - 300_000;
  const id = await createSeries(
    server,
    "Heedy-like",
    Array.from({ length: 300_000 }, (_, i) => ({ t: t0 + i, d: (i % 1000) - 500 })),
  );
  // A real heedy server has no capabilities document (decision 6), and its page (served by us in
  // upstream mode) carries none either.
  await page.route(/\/objects\//, async (route) => {
    if (route.request().resourceType() !== "document") return route.fallback();
    const response = await route.fetch();
    const body = (await response.text()).replace(/<meta name="heedy-explorer-capabilities"[^>]*>/, "");
    await route.fulfill({ response, body });
  });
  await page.route("**/api/server/capabilities", (route) =>
    route.fulfill({
      status: 404,
      contentType: "application/json",
      body: '{"error":"not_found","error_description":"no"}',
    }),
  );
  const plotRequests: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/timeseries/plot")) plotRequests.push(r.url());
  });
  await open(page, server, id, "?range=all");
  await drawn(page);
  await expect(page.getByTestId("plot-count")).toHaveText(
    "300,000 points, drawn from 2,000 columns (downsampled in your browser)",
  );
  expect(plotRequests).toEqual([]);
  await expect(page.getByRole("list", { name: "Legend" })).toContainText("499");
});

test("the data table edits and deletes points, and deletes the range, each after confirming", async ({
  page,
  server,
}) => {
  const cspErrors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && /unsafe-eval|Content Security Policy/i.test(m.text()))
      cspErrors.push(m.text());
  });
  const posts: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "POST" && r.url().includes("/timeseries")) posts.push(r.url());
  });
  const t0 = 1_700_000_000;
  // The newest point has a sub-second timestamp: editing must keep it exactly.
  const id = await createSeries(
    server,
    "Table",
    Array.from({ length: 30 }, (_, i) => ({ t: i === 29 ? t0 + 29.25 : t0 + i, d: i })),
    { type: "number", maximum: 1000 },
  );
  await open(page, server, id, "?range=all");
  await drawn(page);
  await expect(page.getByTestId("table-count")).toHaveText("30 points");
  const rows = page.getByTestId("table-row");
  await expect(rows.first()).toContainText("29");

  // Edit the newest point in the append form's widgets: text that is no number and a value the
  // schema refuses are stopped in the browser (nothing is sent), then a number replaces the value.
  await rows.first().getByRole("button", { name: "Edit" }).click();
  const edit = page.getByRole("dialog", { name: "Edit datapoint" });
  const value = edit.getByLabel("Value", { exact: true });
  await expect(value).toHaveValue("29");
  await expect(edit.getByTestId("edit-point-time")).toContainText(String(t0 + 29.25));
  await value.fill("hot");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit.getByText("Enter a number")).toBeVisible();
  await value.fill("5000");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit.getByText("Must be <= 1000")).toBeVisible();
  await expect(value).toHaveAttribute("aria-invalid", "true");
  await page.screenshot({ path: shot("table-edit-refused") });
  expect(posts).toEqual([]);
  await value.fill("99.5");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit).toHaveCount(0);
  await expect(rows.first()).toContainText("99.5");
  expect(posts).toHaveLength(1);
  await expect(page.getByTestId("table-count")).toHaveText("30 points");
  const stored = await server.api<{ t: number; d: number }[]>("GET", `/api/objects/${id}/timeseries?i=-1`);
  expect(stored).toEqual([{ t: t0 + 29.25, d: 99.5 }]);

  // Delete one point, after confirming.
  await rows.nth(1).getByRole("button", { name: "Delete" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete datapoint" });
  await expect(confirm).toContainText("28");
  await confirm.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(page.getByTestId("table-count")).toHaveText("29 points");
  expect(await server.api<number>("GET", `/api/objects/${id}/timeseries/length`)).toBe(29);

  // Delete the range shown: a custom window of 10 s holds 10 points.
  await page.getByRole("button", { name: "Custom" }).click();
  await page.getByLabel("From").fill(String(t0 + 5));
  await page.getByLabel("To").fill(String(t0 + 15));
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("table-count")).toHaveText("10 points");
  await page.getByRole("button", { name: "Delete these 10 points…" }).click();
  const range = page.getByRole("dialog", { name: "Delete points in range" });
  await range.getByRole("button", { name: "Cancel" }).click();
  expect(await server.api<number>("GET", `/api/objects/${id}/timeseries/length`)).toBe(29);
  await page.getByRole("button", { name: "Delete these 10 points…" }).click();
  await range.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(page.getByTestId("table-count")).toHaveText("0 points");
  expect(await server.api<number>("GET", `/api/objects/${id}/timeseries/length`)).toBe(19);
  expect(cspErrors).toEqual([]);
});
