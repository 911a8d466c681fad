/**
 * Issue 14, items 6 and 8: the point editor (time, duration, value, delete as one change), the CSV
 * import's line numbers, sort and skip, and the object list as a dashboard (lazy facts, URL
 * filters, virtual rows). Screenshots on a desktop and a 390-px phone, light and dark.
 */
import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { expect, type RealServer, startRealServer, test } from "./fixtures";

const shot = (name: string) => `test-results/screenshots/forms-${name}.png`;

async function createSeries(
  server: RealServer,
  name: string,
  points: { t: number; d: unknown; dt?: number }[] = [],
  extra: Record<string, unknown> = {},
): Promise<string> {
  const o = await server.api<{ id: string }>("POST", "/api/objects", {
    name,
    type: "timeseries",
    app: "self",
    ...extra,
  });
  if (points.length > 0) await server.api("POST", `/api/objects/${o.id}/timeseries`, points);
  return o.id;
}

async function open(page: Page, server: RealServer, path: string) {
  await page.goto(`${server.url}${path}#token=${server.token}`);
}

/** Screenshots of the current page: desktop and phone, light and dark. */
async function shots(page: Page, name: string) {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: shot(`${name}-desktop-${scheme}`) });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: shot(`${name}-phone-${scheme}`) });
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 1280, height: 800 });
}

test("the point editor moves a point to a new time, with a new duration and value, in one request", async ({
  page,
  server,
}) => {
  const t0 = 1_700_000_000;
  const id = await createSeries(
    server,
    "Edit times",
    Array.from({ length: 5 }, (_, i) => ({ t: t0 + i * 60, d: i })),
    { meta: { schema: { type: "number" } } },
  );
  const writes: string[] = [];
  page.on("request", (r) => {
    if (r.method() !== "GET" && r.url().includes("/timeseries"))
      writes.push(`${r.method()} ${new URL(r.url()).pathname}`);
  });
  await open(page, server, `/objects/${id}?range=all`);
  const rows = page.getByTestId("table-row");
  await expect(page.getByTestId("table-count")).toHaveText("5 points");
  await rows.first().getByRole("button", { name: /^Edit/ }).click();
  const edit = page.getByRole("dialog", { name: "Edit datapoint" });
  const time = edit.getByLabel(/^Time \(/);
  await expect(time).toHaveValue(
    await page.evaluate((t) => {
      const d = new Date(t * 1000);
      const p = (n: number) => String(n).padStart(2, "0");
      return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
    }, t0 + 240),
  );

  // Every problem at once: a value that is no number and a negative duration.
  await edit.getByLabel("Value", { exact: true }).fill("warm");
  await edit.getByLabel("Duration in seconds").fill("-1");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit.getByText("Enter a number")).toBeVisible();
  await expect(edit.getByText("Enter a duration of 0 seconds or more")).toBeVisible();
  await expect(edit.getByRole("status")).toHaveText("Not sent: fix 2 fields marked here.");
  expect(writes).toEqual([]);
  await shots(page, "edit-refused");

  // Move the newest point ten minutes later, lasting 30 s, with a new value.
  const moved = "2023-11-14T22:23:20";
  const movedT = await page.evaluate((text) => new Date(text).getTime() / 1000, moved);
  await time.fill(moved);
  await edit.getByLabel("Duration in seconds").fill("30");
  await edit.getByLabel("Value", { exact: true }).fill("42.5");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit).toHaveCount(0);
  expect(writes).toEqual([`POST /api/objects/${id}/timeseries/replace`]);
  const stored = await server.api<{ t: number; d: number; dt?: number }[]>(
    "GET",
    `/api/objects/${id}/timeseries`,
  );
  expect(stored).toHaveLength(5);
  expect(stored.at(-1)).toEqual({ t: movedT, dt: 30, d: 42.5 });
  expect(stored.map((p) => p.t)).not.toContain(t0 + 240);
  await expect(rows.first()).toContainText("42.5");

  // Moving onto another point is refused, and nothing changes.
  await rows.first().getByRole("button", { name: /^Edit/ }).click();
  await edit.getByLabel(/^Time \(/).fill(
    await page.evaluate((t) => {
      const d = new Date(t * 1000);
      const p = (n: number) => String(n).padStart(2, "0");
      return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
    }, t0),
  );
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit.getByRole("alert")).toContainText("Another point already lies at that time");
  expect(await server.api("GET", `/api/objects/${id}/timeseries`)).toEqual(stored);

  // Delete from the same dialog, after a question that starts on "Keep it".
  await edit.getByRole("button", { name: "Delete…" }).click();
  await expect(edit.getByRole("button", { name: "Keep it" })).toBeFocused();
  await edit.getByRole("button", { name: "Delete point" }).click();
  await expect(edit).toHaveCount(0);
  await expect(page.getByTestId("table-count")).toHaveText("4 points");
});

test("a CSV with multi-line quoted fields reports the right lines, sorts, skips and downloads", async ({
  page,
  server,
}) => {
  const id = await createSeries(server, "Import lines", [], {
    meta: {
      schema: { type: "object", properties: { temp: { type: "number" }, note: { type: "string" } } },
    },
  });
  await open(page, server, `/objects/${id}?range=all`);
  await page.getByRole("button", { name: "Import…" }).click();
  const dialog = page.getByRole("dialog", { name: "Import datapoints" });
  // Row 2's note spans lines 3–5; row 3 (line 6) has a bad time; rows 5 and 4 are out of order.
  const csv = [
    "time,temp,note",
    "1700000000,20.5,plain",
    '1700000060,21,"first line',
    "second line",
    'third, with ""quotes"""',
    "not a time,22,x",
    "1700000300,23,late",
    "1700000200,22.5,early",
    "",
  ].join("\r\n");
  await dialog.getByLabel("CSV or JSON file").setInputFiles({
    name: "notes.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(csv),
  });
  // The default mapping is one the checks accept: the time, then two fields.
  await expect(dialog.getByLabel("Column time becomes")).toHaveValue("t");
  await expect(dialog.getByLabel("Column temp becomes")).toHaveValue("field");
  const problems = dialog.getByTestId("import-problems");
  await expect(problems).toContainText("2 rows failed the checks");
  await expect(problems).toContainText('Row 3 (line 6): the time "not a time" is not a unix time or a date');
  await expect(problems).toContainText("Row 5 (line 8): is not later than the row before");
  await expect(dialog.getByRole("button", { name: /^Import .*rows$/ })).toBeDisabled();

  // Sorting fixes the order; skipping leaves the bad time out, and the skipped row downloads.
  await dialog.getByLabel("Sort by time").check();
  await expect(problems).toContainText("1 row failed the checks");
  await dialog.getByLabel("Skip invalid rows (1)").check();
  const download = page.waitForEvent("download");
  await dialog.getByRole("link", { name: "Download the invalid row" }).click();
  const skipped = readFileSync(await (await download).path(), "utf8").split("\r\n");
  expect(skipped[0]).toBe("time,temp,note,import_problem");
  expect(skipped[1]).toBe('not a time,22,x,"line 6: the time ""not a time"" is not a unix time or a date"');
  await shots(page, "import-skip");
  await dialog.getByRole("button", { name: "Import 4 rows" }).click();
  await expect(dialog.getByTestId("import-status")).toHaveText("Imported all 4 rows.");
  const stored = await server.api<{ t: number; d: { note?: string } }[]>(
    "GET",
    `/api/objects/${id}/timeseries`,
  );
  expect(stored.map((p) => p.t)).toEqual([1_700_000_000, 1_700_000_060, 1_700_000_200, 1_700_000_300]);
  expect(stored[1]!.d.note).toBe('first line\r\nsecond line\r\nthird, with "quotes"');
  await dialog.getByRole("button", { name: "Close", exact: true }).click();

  // A quote left open swallows the rest of the file: the row says which lines it took.
  await page.getByRole("button", { name: "Import…" }).click();
  await dialog.getByLabel("CSV or JSON file").setInputFiles({
    name: "open.csv",
    mimeType: "text/csv",
    buffer: Buffer.from('time,temp\n1700001000,1\n1700001060,"2\n1700001120,3\n1700001180,4\n'),
  });
  await expect(problems).toContainText(
    "Row 2 (lines 3–5): a quoted field opened on line 3 never closes, so it swallowed lines 3–5",
  );
  await page.screenshot({ path: shot("import-open-quote") });
});

test("the list shows each object's latest value, count and last day, read lazily for rows in view", async ({
  page,
}) => {
  // A server of its own: 400 objects would push other specs' objects out of view.
  const server = await startRealServer();
  test.info().setTimeout(120_000);
  try {
    await listDashboard(page, server);
  } finally {
    await server.stop();
  }
});

async function listDashboard(page: Page, server: RealServer) {
  const now = Math.floor(Date.now() / 1000);
  const first = await createSeries(
    server,
    "000 Kitchen temperature",
    Array.from({ length: 48 }, (_, i) => ({ t: now - 86_000 + i * 1_700, d: 20 + Math.sin(i / 4) * 3 })),
    { tags: "home kitchen" },
  );
  await server.api("POST", `/api/objects/${first}/timeseries`, [{ t: now - 5, d: 21.75 }]);
  // 400 more objects (some with a point) to scroll through.
  for (let i = 1; i <= 400; i++) {
    const name = `${String(i).padStart(3, "0")} sensor`;
    await createSeries(server, name, i % 50 === 0 ? [{ t: now - i, d: i }] : [], {
      tags: i % 2 ? "odd" : "even",
    });
  }
  const factReads: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/timeseries/length")) factReads.push(r.url());
  });
  await open(page, server, "/");
  const rows = page.getByTestId("object-row");
  await expect(rows.first()).toContainText("000 Kitchen temperature");
  const firstRow = rows.first();
  await expect(firstRow.getByTestId("fact-latest")).toHaveText("21.75");
  await expect(firstRow.getByTestId("fact-count")).toHaveText("49");
  await expect(firstRow.getByTestId("fact-spark").locator("svg path")).toHaveCount(1);
  // The write time, not just the day.
  await expect(firstRow.locator(".modified-cell time")).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  await page.waitForTimeout(500);
  // Only the rows in view (plus a few) are rendered and read.
  const rendered = await rows.count();
  expect(rendered).toBeLessThan(40);
  expect(factReads.length).toBeLessThanOrEqual(rendered);
  expect(factReads.length).toBeGreaterThan(5);
  await shots(page, "list");

  // Scrolling to the end reads the last rows' facts, and only a few more.
  const before = factReads.length;
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  const last = page.getByTestId("object-row").filter({ hasText: "400 sensor" });
  await expect(last.getByTestId("fact-count")).toHaveText("1");
  await expect(last.getByTestId("fact-latest")).toHaveText("400");
  expect(factReads.length - before).toBeLessThan(40);

  // Filters live in the URL, so a reload (or a shared link) keeps them.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.getByLabel("Filter", { exact: true }).fill("kitchen");
  await firstRow.getByRole("button", { name: "home" }).click();
  await page.getByRole("button", { name: /^Last modified/ }).click();
  await expect(page).toHaveURL(/\?q=kitchen&tag=home&sort=-modified$/);
  await page.reload();
  await expect(page.getByLabel("Filter", { exact: true })).toHaveValue("kitchen");
  await expect(page.getByTestId("object-row")).toHaveCount(1);
  await expect(page.getByRole("button", { name: "Remove tag filter home" })).toBeVisible();
  // The breadcrumb's bare `/` brings the filtered list back.
  await page.getByTestId("object-row").getByRole("link", { name: "000 Kitchen temperature" }).click();
  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "Objects" }).click();
  await expect(page).toHaveURL(/\?q=kitchen&tag=home&sort=-modified$/);
  await expect(page.getByTestId("object-row")).toHaveCount(1);
}
