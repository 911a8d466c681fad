import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, type RealServer, test } from "./fixtures";

// Screenshots of every main screen, desktop and 390-px phone, light and dark (not committed: look
// at them after a run).
const shot = (name: string) => `test-results/screenshots/polish-${name}.png`;

const THEMES = ["light", "dark"] as const;
const PHONE = { width: 390, height: 844 };

async function seed(server: RealServer): Promise<string> {
  const o = await server.api<{ id: string }>("POST", "/api/objects", {
    name: "Living room temperature",
    type: "timeseries",
    app: "self",
    tags: "home temperature",
    key: `living-temp-${Math.random().toString(36).slice(2, 8)}`,
    description: "Thermometer by the window",
    meta: { schema: { type: "number", minimum: -40, maximum: 60 } },
  });
  const now = Math.floor(Date.now() / 1000);
  const points = Array.from({ length: 200 }, (_, i) => ({
    t: now - (200 - i) * 60,
    d: 20 + Math.round(Math.sin(i / 15) * 40) / 10,
  }));
  await server.api("POST", `/api/objects/${o.id}/timeseries`, points);
  return o.id;
}

/** The main screens, each reached as a person would, named for the screenshots. */
function screens(id: string): { name: string; path: string; ready(page: Page): Promise<void> }[] {
  return [
    {
      name: "list",
      path: "/",
      ready: (page) => expect(page.getByRole("heading", { name: "Objects", level: 1 })).toBeVisible(),
    },
    {
      name: "data",
      path: `/objects/${id}`,
      ready: async (page) => {
        await expect(page.getByTestId("chart")).toBeVisible();
        await expect(page.getByTestId("table-row").first()).toContainText(/\d/);
      },
    },
    {
      name: "schema",
      path: `/objects/${id}/schema`,
      ready: (page) => expect(page.getByRole("heading", { name: "Visual" })).toBeVisible(),
    },
    {
      name: "access",
      path: `/objects/${id}/access`,
      ready: (page) => expect(page.getByRole("heading", { name: "Effective access" })).toBeVisible(),
    },
  ];
}

async function seriousViolations(page: Page) {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

for (const theme of THEMES) {
  test(`axe: no serious or critical violations on the main screens (${theme})`, async ({ page, server }) => {
    await page.emulateMedia({ colorScheme: theme });
    const id = await seed(server);
    // The login screen first.
    await page.goto(server.url);
    await expect(page.getByLabel("App token")).toBeVisible();
    expect(await seriousViolations(page), "login").toEqual([]);
    await page.screenshot({ path: shot(`desktop-${theme}-login`) });
    await page.goto(`${server.url}/#token=${server.token}`);
    await expect(page.getByRole("banner")).toContainText("Test App");
    for (const screen of screens(id)) {
      await page.goto(`${server.url}${screen.path}`);
      await screen.ready(page);
      expect(await seriousViolations(page), screen.name).toEqual([]);
      await page.screenshot({ path: shot(`desktop-${theme}-${screen.name}`), fullPage: true });
    }
    // A dialog over the page.
    await page.goto(server.url);
    await page.getByRole("button", { name: "New object" }).first().click();
    await expect(page.getByRole("dialog", { name: "New object" })).toBeVisible();
    expect(await seriousViolations(page), "new object dialog").toEqual([]);
    await page.screenshot({ path: shot(`desktop-${theme}-new-object`) });
  });

  test(`390 px: no main page is wider than the screen (${theme})`, async ({ page, server }) => {
    await page.setViewportSize(PHONE);
    await page.emulateMedia({ colorScheme: theme });
    const id = await seed(server);
    await page.goto(`${server.url}/#token=${server.token}`);
    await expect(page.getByRole("banner")).toContainText("Test App");
    for (const screen of screens(id)) {
      await page.goto(`${server.url}${screen.path}`);
      await screen.ready(page);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, `${screen.name} is ${width} px wide`).toBeLessThanOrEqual(PHONE.width);
      expect(await seriousViolations(page), screen.name).toEqual([]);
      await page.screenshot({ path: shot(`phone-${theme}-${screen.name}`), fullPage: true });
    }
    // On the Data tab the chart comes before the counts, and the row actions are visible buttons.
    await page.goto(`${server.url}/objects/${id}`);
    await expect(page.getByTestId("chart")).toBeVisible();
    const chartTop = (await page.getByTestId("chart").boundingBox())?.y ?? Number.POSITIVE_INFINITY;
    const countTop = (await page.getByTestId("datapoint-count").boundingBox())?.y ?? 0;
    expect(chartTop).toBeLessThan(countTop);
    const edit = page.getByRole("button", { name: /^Edit point at / }).first();
    await edit.scrollIntoViewIfNeeded();
    await expect(edit).toBeInViewport();
    const box = await edit.boundingBox();
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(PHONE.width);
  });
}
