import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { expect, type RealServer, test } from "./fixtures";

const shot = (name: string) => `test-results/screenshots/explore-${name}.png`;

/**
 * Objects this spec made, deleted after each test: the server is shared by the worker's specs, and
 * the object list renders only the rows in view, so leftovers would push other specs' rows out.
 */
const created: string[] = [];

test.afterEach(async ({ server }) => {
  for (const id of created.splice(0)) await server.api("DELETE", `/api/objects/${id}`);
});

async function createSeries(
  server: RealServer,
  name: string,
  points: { t: number; d: unknown; dt?: number }[],
  schema: Record<string, unknown> = {},
): Promise<string> {
  const o = await server.api<{ id: string }>("POST", "/api/objects", {
    name,
    type: "timeseries",
    app: "self",
    meta: { schema },
  });
  created.push(o.id);
  await server.api("POST", `/api/objects/${o.id}/timeseries`, points);
  return o.id;
}

/** A fixed window of whole hours ending at the last full hour: stable windows for aggregation. */
const HOUR = 3600;
const end = Math.floor(Date.now() / 1000 / HOUR) * HOUR;
const start = end - 6 * HOUR;
const iso = (t: number) => new Date(t * 1000).toISOString().replace(".000Z", "Z");

async function seed(server: RealServer) {
  const hr = await createSeries(
    server,
    "Pulse",
    Array.from({ length: 360 }, (_, i) => ({ t: start + i * 60, d: 60 + ((i * 7) % 41) + (i % 3) * 0.5 })),
    { type: "number", unit: "bpm" },
  );
  const steps = await createSeries(
    server,
    "Step count",
    Array.from({ length: 36 }, (_, i) => ({ t: start + i * 600, d: (i * 137) % 900, dt: 600 })),
    { type: "integer" },
  );
  const modes = ["eco", "boost", "off"];
  const mode = await createSeries(
    server,
    "Heating mode",
    Array.from({ length: 12 }, (_, i) => ({ t: start + i * 1800, d: modes[i % 3] })),
    { type: "string", enum: modes },
  );
  return { hr, steps, mode };
}

async function openExplore(page: Page, server: RealServer, query: string) {
  await page.goto(`${server.url}/explore?${query}#token=${server.token}`);
  await expect(page.locator(".explore-chart canvas")).toHaveCount(1);
  await expect(page.locator(".explore-chart[data-draws]")).toHaveCount(1);
}

function parseCsv(text: string): string[][] {
  // The values here hold no quotes or commas except the header's names.
  return text
    .trim()
    .split("\n")
    .map((l) => l.split(","));
}

test("three series from a URL: drawn, named, the enum as a timeline; legend toggle and isolate", async ({
  page,
  server,
}) => {
  const { hr, steps, mode } = await seed(server);
  await openExplore(page, server, `s=${hr}&s=${steps}&s=${mode}&from=${iso(start)}&to=${iso(end)}`);
  const legend = page.getByRole("list", { name: "Legend" });
  await expect(legend).toContainText("Pulse");
  await expect(legend).toContainText("Step count");
  await expect(legend).toContainText("Heating mode");
  const colours = page.getByRole("list", { name: "Colours of Heating mode" });
  await expect(colours).toContainText("eco");
  await expect(colours).toContainText("boost");
  await expect(colours).toContainText("off");
  await expect(page.getByTestId("explore-status")).toContainText("3 series · 408 points");
  // One tooltip for every series under the crosshair, the enum's state included.
  const over = page.locator(".explore-chart .u-over");
  const box = (await over.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.02, box.y + box.height / 3);
  const tip = page.locator(".explore-chart .ts-tooltip");
  await expect(tip).toContainText("Pulse:");
  await expect(tip).toContainText("Step count:");
  await expect(tip).toContainText("Heating mode: eco");
  await page.mouse.move(box.x + box.width / 2, box.y - 60);
  await page.locator(".explore-page").screenshot({ path: shot("light") });
  await page.locator(".explore-chart").screenshot({ path: shot("state-timeline-light") });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.waitForTimeout(200);
  await page.locator(".explore-page").screenshot({ path: shot("dark") });
  await page.emulateMedia({ colorScheme: "light" });

  const button = (name: string) => legend.getByRole("button", { name: new RegExp(`^${name}`) });
  await button("Pulse").click();
  await expect(button("Pulse")).toHaveAttribute("aria-pressed", "false");
  await button("Pulse").click();
  await expect(button("Pulse")).toHaveAttribute("aria-pressed", "true");
  await button("Step count").click({ modifiers: ["Control"] });
  await expect(button("Step count")).toHaveAttribute("aria-pressed", "true");
  await expect(button("Pulse")).toHaveAttribute("aria-pressed", "false");
  await expect(button("Heating mode")).toHaveAttribute("aria-pressed", "false");
  await button("Step count").click({ modifiers: ["Control"] });
  await expect(button("Pulse")).toHaveAttribute("aria-pressed", "true");
  await expect(button("Heating mode")).toHaveAttribute("aria-pressed", "true");

  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(200);
  await page.screenshot({ path: shot("390"), fullPage: true });
});

test("zoom twice, then Back returns the previous range and the one before it", async ({ page, server }) => {
  const { hr, mode } = await seed(server);
  await openExplore(page, server, `s=${hr}&s=${mode}&from=now-7h&to=now`);
  const first = page.url();
  const over = page.locator(".explore-chart .u-over");
  const drag = async (a: number, b: number) => {
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width * a, box.y + box.height / 3);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * b, box.y + box.height / 3, { steps: 5 });
    await page.mouse.up();
  };
  await drag(0.2, 0.8);
  await expect(page).toHaveURL(/from=\d{4}-.*Z&/);
  await expect(page.getByTestId("explore-status")).not.toContainText("Loading");
  const second = page.url();
  await drag(0.3, 0.6);
  await expect(page).not.toHaveURL(second);
  await page.goBack();
  await expect(page).toHaveURL(second);
  await page.goBack();
  await expect(page).toHaveURL(first);
  await page.goForward();
  await expect(page).toHaveURL(second);
  // Zoom out ×2 from the keyboard widens the window around its centre.
  await page.locator("body").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("Control+z");
  await expect(page).not.toHaveURL(second);
  await page.keyboard.press("?");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toContainText("t ←");
});

test("per hour, mean shows the values heedy's transform gives; the CSV export matches the API", async ({
  page,
  server,
}) => {
  const { hr, steps } = await seed(server);
  await openExplore(page, server, `s=${hr}&s=${steps}&from=${iso(start)}&to=${iso(end)}`);

  // Raw export: every point of each series, aligned on time.
  let download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export CSV" }).click();
  let rows = parseCsv(readFileSync(await (await download).path(), "utf8"));
  expect(rows[0]).toEqual(["t", "time", "Pulse", "Step count"]);
  const hrPoints = await server.api<{ t: number; d: number }[]>(
    "GET",
    `/api/objects/${hr}/timeseries?t1=${start}&t2=${end}`,
  );
  const stepPoints = await server.api<{ t: number; d: number }[]>(
    "GET",
    `/api/objects/${steps}/timeseries?t1=${start}&t2=${end}`,
  );
  const byT = new Map(rows.slice(1).map((r) => [Number(r[0]), r]));
  expect(byT.size).toBe(new Set([...hrPoints, ...stepPoints].map((p) => p.t)).size);
  for (const p of hrPoints) expect(Number(byT.get(p.t)![2])).toBe(p.d);
  for (const p of stepPoints) expect(Number(byT.get(p.t)![3])).toBe(p.d);

  // Per hour, mean: one row per hour, each the API's transform=mean over that hour.
  await page.getByLabel("Aggregate per").selectOption("hour");
  await expect(page).toHaveURL(/per=hour-mean/);
  await expect(page.getByTestId("explore-status")).toContainText("mean per hour");
  await expect(page.locator(".explore-chart[data-draws]")).toHaveCount(1);
  await page.locator(".explore-page").screenshot({ path: shot("aggregated-light") });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.waitForTimeout(200);
  await page.locator(".explore-page").screenshot({ path: shot("aggregated-dark") });
  await page.emulateMedia({ colorScheme: "light" });
  download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export CSV" }).click();
  rows = parseCsv(readFileSync(await (await download).path(), "utf8")).slice(1);
  expect(rows).toHaveLength(6);
  for (const r of rows) {
    const t = Number(r[0]);
    const mean = await server.api<{ d: number }[]>(
      "GET",
      `/api/objects/${hr}/timeseries?t1=${t}&t2=${t + HOUR}&transform=mean`,
    );
    expect(Number(r[2])).toBeCloseTo(mean[0]!.d, 9);
  }
  // The summary strip of each series covers the visible range.
  await expect(page.getByRole("definition").first()).toBeVisible();
  await expect(page.locator(".summary-strip").first()).toContainText("count360");
});

test("the object list's compare selected and the Data tab's add a series open Explore", async ({
  page,
  server,
}) => {
  const { hr } = await seed(server);
  await page.goto(`${server.url}/#token=${server.token}`);
  // Other tests of this worker seeded the same names: any one of each will do.
  await page.getByLabel("Compare Pulse").first().check();
  await page.getByLabel("Compare Step count").first().check();
  await page.getByRole("button", { name: /Compare selected \(2\)/ }).click();
  await expect(page).toHaveURL(/\/explore\?s=[^&]+&s=[^&]+$/);
  await expect(page.locator(".explore-chart canvas")).toHaveCount(1);
  await expect(page.getByRole("list", { name: "Legend" })).toContainText("Pulse");
  await page.goto(`${server.url}/objects/${hr}?from=now-3h&to=now#token=${server.token}`);
  await page.getByRole("link", { name: "Add a series (Explore)" }).click();
  await expect(page).toHaveURL(new RegExp(`/explore\\?s=${hr}&from=now-3h&to=now`));
  await page.getByLabel("Find a series").fill("Step count");
  await page.getByRole("button", { name: "Add Step count" }).first().click();
  await expect(page).toHaveURL(/&s=/);
  await expect(page.getByRole("list", { name: "Legend" })).toContainText("Step count");
});

test("schema from data: a mixed series gets a proposal, edited and saved after the data check", async ({
  page,
  server,
}) => {
  const id = await createSeries(
    server,
    "Thermostat log",
    Array.from({ length: 30 }, (_, i) => ({
      t: start + i * 60,
      d: {
        temp: 18 + (i % 5) * 0.5,
        mode: ["eco", "boost", "off"][i % 3],
        ...(i % 2 ? { note: `n${i}` } : {}),
      },
    })),
  );
  await page.goto(`${server.url}/objects/${id}/schema#token=${server.token}`);
  await page.getByLabel("Infer a schema from the last").fill("20");
  await page.getByRole("button", { name: "Infer schema" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: "Proposed from the last 20 points" }),
  ).toBeVisible();
  const json = page.getByRole("textbox", { name: "Schema as JSON" });
  await expect(json).toBeVisible();
  expect(JSON.parse(await json.inputValue())).toEqual({
    type: "object",
    properties: {
      mode: { type: "string", enum: ["boost", "eco", "off"] },
      note: { type: "string" },
      temp: { type: "number", minimum: 18, maximum: 20 },
    },
    required: ["mode", "temp"],
  });
  await page.getByRole("button", { name: "Save schema" }).click();
  await expect(page.getByText("Schema saved")).toBeVisible();
  const saved = await server.api<{ meta: { schema: unknown } }>("GET", `/api/objects/${id}`);
  expect(saved.meta.schema).toMatchObject({ required: ["mode", "temp"] });
});
