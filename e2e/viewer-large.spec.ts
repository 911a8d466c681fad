import { expect, test } from "./fixtures";

const shot = (name: string) => `test-results/screenshots/viewer-${name}.png`;

test("a 1M-point series is drawn from 2,000 columns and scrolls in the table; light and dark", async ({
  page,
  server,
}) => {
  test.setTimeout(120_000);
  const o = await server.api<{ id: string }>("POST", "/api/objects", {
    name: "One million",
    type: "timeseries",
    app: "self",
    meta: {},
  });
  const n = 1_000_000;
  const start = Math.floor(Date.now() / 1000) - n;
  for (let i = 0; i < n; i += 100_000) {
    const batch = Array.from({ length: 100_000 }, (_, k) => {
      const j = i + k;
      return {
        t: start + j,
        d: Math.round((20 + 5 * Math.sin(j / 13_750) + Math.sin(j / 97) * ((j % 89) / 40)) * 100) / 100,
      };
    });
    await server.api("POST", `/api/objects/${o.id}/timeseries`, batch);
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto(`${server.url}/objects/${o.id}?range=all#token=${server.token}`);
  await expect(page.getByTestId("plot-count")).toHaveText("1,000,000 points, drawn from 2,000 columns");
  await expect(page.locator(".ts-chart canvas")).toHaveCount(1);
  await expect(page.getByTestId("table-count")).toHaveText("1,000,000 points");
  await page.locator(".ts-viewer").screenshot({ path: shot("1m-light") });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.waitForTimeout(200);
  await page.locator(".ts-viewer").screenshot({ path: shot("1m-dark") });

  // Virtual scrolling: the middle and the end of a million rows are reachable.
  const scroll = page.getByTestId("table-scroll");
  await scroll.evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await expect(page.getByTestId("table-row").last()).toContainText(
    new Date(start * 1000).toISOString().slice(11, 19),
  );
  expect(await page.getByTestId("table-row").count()).toBeLessThan(40);
});
