import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { expect, type RealServer, test } from "./fixtures";

const shot = (name: string) => `test-results/screenshots/import-export-${name}.png`;

async function createSeries(server: RealServer, name: string, schema: Record<string, unknown> = {}) {
  const o = await server.api<{ id: string }>("POST", "/api/objects", {
    name,
    type: "timeseries",
    app: "self",
    meta: { schema },
  });
  return o.id;
}

async function open(page: Page, server: RealServer, id: string, query = "") {
  await page.goto(`${server.url}/objects/${id}${query}#token=${server.token}`);
}

test("CSV and JSON export of the range match the data, across several pages", async ({ page, server }) => {
  const id = await createSeries(server, "Export me");
  const t0 = 1_700_000_000;
  const points = Array.from({ length: 120_000 }, (_, i) => ({
    t: t0 + i * 0.5,
    d: i % 3 === 0 ? i / 7 : i % 3 === 1 ? `s${i}, "q"` : { a: i },
  }));
  for (let i = 0; i < points.length; i += 60_000) {
    await server.api("POST", `/api/objects/${id}/timeseries`, points.slice(i, i + 60_000));
  }
  await open(page, server, id, "?range=all");
  await page.getByRole("button", { name: "Export range…" }).click();
  const dialog = page.getByRole("dialog", { name: "Export range" });
  await expect(dialog).toContainText("120,000 points");
  let download = page.waitForEvent("download");
  await dialog.getByRole("button", { name: "Export CSV" }).click();
  let file = await (await download).path();
  await expect(dialog.getByTestId("export-done")).toContainText("Exported 120,000 points");
  const lines = readFileSync(file, "utf8").split("\r\n");
  expect(lines[0]).toBe("t,dt,d");
  expect(lines).toHaveLength(120_002);
  expect(lines[1]).toBe(`${t0},0,0`);
  expect(lines[2]).toBe(`${t0 + 0.5},0,"s1, ""q"""`);
  expect(lines[3]).toBe(`${t0 + 1},0,"{""a"":2}"`);
  expect(lines[120_000]).toBe(`${points[119_999]!.t},0,"{""a"":119999}"`);

  await dialog.getByRole("radio", { name: /JSON/ }).check();
  download = page.waitForEvent("download");
  await dialog.getByRole("button", { name: "Export JSON" }).click();
  file = await (await download).path();
  expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(points);
});

test("a CSV import with a bad row is refused naming the row, then accepted once fixed", async ({
  page,
  server,
}) => {
  // The rows are checked with core's ajv code in the schema worker: nothing may trip the page's CSP.
  const cspErrors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && /unsafe-eval|Content Security Policy/i.test(m.text()))
      cspErrors.push(m.text());
  });
  const id = await createSeries(server, "Import me", { type: "number" });
  await open(page, server, id, "?range=all");
  await expect(page.getByTestId("chart-empty")).toBeVisible();
  await page.getByRole("button", { name: "Import…" }).click();
  const dialog = page.getByRole("dialog", { name: "Import datapoints" });
  const rows = Array.from({ length: 2500 }, (_, i) => [String(1_700_000_000 + i), String(i % 50)]);
  rows[1_499]![1] = "twelve";
  const csv = (r: string[][]) => `timestamp,value\n${r.map((x) => x.join(",")).join("\n")}\n`;
  await dialog.getByLabel("CSV or JSON file").setInputFiles({
    name: "bad.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(csv(rows)),
  });
  await expect(dialog.getByLabel("Column timestamp becomes")).toHaveValue("t");
  await expect(dialog.getByLabel("Column value becomes")).toHaveValue("d");
  await expect(dialog.getByTestId("import-preview")).toContainText('{"t":1700000000,"d":0}');
  const problems = dialog.getByTestId("import-problems");
  await expect(problems).toContainText("1 row failed the checks");
  await expect(problems).toContainText(
    'Row 1,500 (line 1,501): the data "twelve" fails the schema: must be number',
  );
  await expect(dialog.getByRole("button", { name: /^Import .*rows$/ })).toBeDisabled();
  await page.screenshot({ path: shot("refused") });

  rows[1_499]![1] = "12";
  await dialog.getByLabel("CSV or JSON file").setInputFiles({
    name: "fixed.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(csv(rows)),
  });
  await expect(dialog.getByTestId("import-valid")).toContainText(
    "All 2,500 rows are valid against the schema",
  );
  await dialog.getByLabel("Insert method").selectOption("insert");
  await dialog.getByLabel("Rows per batch").fill("500");
  await dialog.getByRole("button", { name: "Import 2,500 rows" }).click();
  await expect(dialog.getByTestId("import-progress")).toBeVisible();
  await expect(dialog.getByTestId("import-status")).toHaveText("Imported all 2,500 rows.");
  await page.screenshot({ path: shot("done") });
  expect(await server.api<number>("GET", `/api/objects/${id}/timeseries/length`)).toBe(2500);
  await dialog.getByRole("button", { name: "Close", exact: true }).click();
  await expect(page.getByTestId("plot-count")).toHaveText("2,500 points");

  // A batch the server refuses stops the import and says exactly which rows landed.
  await page.getByRole("button", { name: "Import…" }).click();
  // Points between the stored ones (t + 0.5), except row 15, which hits a stored timestamp: with
  // "insert" the server refuses its whole batch (rows 11–20) and the import stops there.
  const more = Array.from({ length: 30 }, (_, i) => [String(1_700_001_000.5 + i), String(i)]);
  more[14]![0] = String(1_700_001_014);
  await dialog.getByLabel("CSV or JSON file").setInputFiles({
    name: "more.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(csv(more)),
  });
  await dialog.getByLabel("Insert method").selectOption("insert");
  await dialog.getByLabel("Rows per batch").fill("10");
  await expect(dialog.getByTestId("import-valid")).toBeVisible();
  await dialog.getByRole("button", { name: "Import 30 rows" }).click();
  const failed = dialog.getByTestId("import-failed");
  await expect(failed).toContainText("Batch 2 (rows 11–20) was refused");
  await expect(failed).toContainText("conflict with existing datapoint");
  await expect(failed).toContainText("Rows 1–10 were written. Nothing from rows 11–30 was written");
  await page.screenshot({ path: shot("failed-batch") });
  expect(await server.api<number>("GET", `/api/objects/${id}/timeseries/length`)).toBe(2510);
  expect(cspErrors).toEqual([]);
});
