import type { Page, Request } from "@playwright/test";
import { expect, type RealServer, test } from "./fixtures";

/** Pushed updates over heedy's events socket (/api/events): no reload and no polling. */

async function createSeries(server: RealServer, name: string, points: { t: number; d: number }[]) {
  const o = await server.api<{ id: string }>("POST", "/api/objects", {
    name,
    type: "timeseries",
    app: "self",
  });
  await server.api("POST", `/api/objects/${o.id}/timeseries`, points);
  return o.id;
}

const isRead = (id: string) => (r: Request) =>
  r.url().includes(`/api/objects/${id}/timeseries`) && r.method() === "GET";

async function drawn(page: Page) {
  await expect(page.locator(".ts-chart canvas")).toHaveCount(1);
  await expect(page.locator(".ts-chart[data-draws]")).toHaveCount(1);
}

test("a point appended through the API reaches chart, count, last written and table within 2 s", async ({
  page,
  server,
}) => {
  const t0 = Date.now() / 1000 - 3600;
  const id = await createSeries(server, "Pushed", [
    { t: t0, d: 1 },
    { t: t0 + 60, d: 2 },
    { t: t0 + 120, d: 3 },
  ]);
  let navigations = 0;
  page.on("framenavigated", (f) => {
    if (f === page.mainFrame()) navigations++;
  });
  await page.goto(`${server.url}/objects/${id}/data?from=now-6h&to=now&refresh=5s#token=${server.token}`);
  await drawn(page);
  await expect(page.getByTestId("live-mode")).toHaveText("(pushed)");
  await expect(page.getByTestId("datapoint-count")).toHaveText("3");
  await expect(page.getByTestId("table-row")).toHaveCount(3);
  const navigationsBefore = navigations;

  // Live is on, yet nothing is polled while the socket is open.
  const reads: string[] = [];
  page.on("request", (r) => {
    if (isRead(id)(r)) reads.push(r.url());
  });
  await page.waitForTimeout(6000);
  expect(reads).toEqual([]);

  const t = Date.now() / 1000;
  const sent = Date.now();
  await server.api("POST", `/api/objects/${id}/timeseries`, [{ t, d: 777 }]);
  await expect(page.getByTestId("datapoint-count")).toHaveText("4", { timeout: 2000 });
  await expect(page.getByTestId("plot-count")).toHaveText(/^4 points/, { timeout: 2000 });
  await expect(page.getByTestId("table-row").filter({ hasText: "777" })).toHaveCount(1, { timeout: 2000 });
  await expect(page.getByTestId("last-written")).toHaveText("just now", { timeout: 2000 });
  expect(Date.now() - sent).toBeLessThan(2000);
  await expect(page.getByTestId("last-written").locator("time")).toHaveAttribute(
    "title",
    /\d{4}-\d\d-\d\d \d\d:/,
  );
  expect(navigations).toBe(navigationsBefore);
});

test("a second tab sees a rename made in the first", async ({ context, server }) => {
  const id = await createSeries(server, "Before rename", [{ t: Date.now() / 1000 - 60, d: 1 }]);
  const first = await context.newPage();
  const second = await context.newPage();
  await second.goto(`${server.url}/#token=${server.token}`);
  await expect(second.getByRole("link", { name: "Before rename" })).toBeVisible();
  await first.goto(`${server.url}/objects/${id}#token=${server.token}`);
  await expect(first.getByRole("heading", { name: "Before rename" })).toBeVisible();

  await first.getByRole("button", { name: "Edit name" }).click();
  await first.getByRole("textbox", { name: "Name" }).fill("After rename");
  await first.getByRole("textbox", { name: "Name" }).press("Enter");
  await expect(first.getByRole("heading", { name: "After rename" })).toBeVisible();

  await expect(second.getByRole("link", { name: "After rename" })).toBeVisible({ timeout: 2000 });
  await expect(second.getByRole("link", { name: "Before rename" })).toHaveCount(0);
  // And an object page open in the second tab follows too.
  await second.goto(`${server.url}/objects/${id}`);
  await expect(second.getByRole("heading", { name: "After rename" })).toBeVisible();
  await first.getByRole("button", { name: "Edit name" }).click();
  await first.getByRole("textbox", { name: "Name" }).fill("Renamed again");
  await first.getByRole("textbox", { name: "Name" }).press("Enter");
  await expect(second.getByRole("heading", { name: "Renamed again" })).toBeVisible({ timeout: 2000 });
});
