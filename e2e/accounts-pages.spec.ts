import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

// Issue 12's new pages, light and dark, desktop and phone: axe finds no serious or critical
// problem, and a screenshot of each goes to test-results/ to be looked at.

const LAYOUTS = [
  { name: "desktop", viewport: { width: 1280, height: 800 } },
  { name: "phone", viewport: { width: 390, height: 844 } },
] as const;
const SCHEMES = ["light", "dark"] as const;

async function checkPage(page: Page, label: string) {
  await page.screenshot({ path: test.info().outputPath(`${label}.png`), fullPage: true });
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(bad, `${label}: axe violations`).toEqual([]);
}

for (const scheme of SCHEMES) {
  for (const layout of LAYOUTS) {
    test(`accounts pages, ${scheme}, ${layout.name}: axe and screenshots`, async ({ browser, server }) => {
      const context = await browser.newContext({ colorScheme: scheme, viewport: layout.viewport });
      const page = await context.newPage();
      const tag = `${layout.name}-${scheme}`;
      const headers = {
        "X-Heedy-Key": server.pluginKey,
        "X-Heedy-As": "test",
        "Content-Type": "application/json",
      };
      const res = await fetch(`${server.url}/api/apps?token=true`, {
        method: "POST",
        headers,
        body: JSON.stringify({
          name: `Weather station ${tag}`,
          description: "Temperature and humidity on the balcony",
          scope: "self.objects:create self.objects:read self.objects:write owner:read",
          settings_schema: {
            type: "object",
            properties: {
              interval: { type: "integer", title: "Interval (seconds)", description: "How often to measure" },
              unit: { enum: ["celsius", "fahrenheit"], title: "Unit" },
              enabled: { type: "boolean", title: "Send data" },
            },
          },
          settings: { interval: 60, unit: "celsius", enabled: true },
        }),
      });
      expect(res.status).toBe(200);
      const app = (await res.json()) as { id: string; access_token: string };
      await server.api(
        "POST",
        "/api/objects",
        { name: `Balcony temperature ${tag}`, type: "timeseries", tags: "weather outdoor", meta: {} },
        app.access_token,
      );

      await page.goto(server.url);
      await expect(page.getByRole("form", { name: "Log in with your password" })).toBeVisible();
      await checkPage(page, `login-${tag}`);

      await page.getByLabel("Username").fill("test");
      await page.getByLabel("Password", { exact: true }).fill("test");
      await page.getByRole("button", { name: "Log in" }).click();
      await expect(page.getByRole("table", { name: "Objects" })).toContainText(`Balcony temperature ${tag}`);
      await checkPage(page, `objects-${tag}`);

      await page.goto(`${server.url}/apps`);
      await expect(page.getByRole("table", { name: "Apps" })).toContainText(`Weather station ${tag}`);
      await checkPage(page, `apps-${tag}`);

      await page.getByRole("button", { name: "New app" }).click();
      const dialog = page.getByRole("dialog", { name: "New app" });
      await expect(dialog.getByRole("checkbox", { name: "self.objects:create" })).toBeVisible();
      await dialog.getByLabel("Add a custom scope").fill("myplugin:sync");
      await dialog.getByRole("button", { name: "Add", exact: true }).click();
      await expect(dialog.getByText("a custom scope; this explorer does not know")).toBeVisible();
      await checkPage(page, `new-app-${tag}`);
      await dialog.getByRole("button", { name: "Cancel" }).click();

      await page.goto(`${server.url}/apps/${app.id}`);
      await expect(page.getByRole("form", { name: "App settings" }).getByLabel("Unit")).toHaveValue(
        "celsius",
      );
      await checkPage(page, `app-${tag}`);

      await page.goto(`${server.url}/account`);
      await expect(page.getByRole("table", { name: "Sessions" })).toContainText("this browser");
      await checkPage(page, `account-${tag}`);

      await page.goto(`${server.url}/users`);
      await expect(page.getByRole("table", { name: "Users" })).toContainText("test");
      await checkPage(page, `users-${tag}`);
      await context.close();
    });
  }
}
