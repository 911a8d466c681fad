import type { Locator, Page } from "@playwright/test";
import { expect, type RealServer, test } from "./fixtures";

// Screenshots of the main states go to this test's output folder (look at them after a run).
const shot = (name: string) => test.info().outputPath(`objects-${name}.png`);
const XSS_NAME = "<img src=x onerror=alert(1)>";

async function signIn(page: Page, server: RealServer) {
  await page.goto(server.url);
  await page.getByLabel("App token").fill(server.token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("banner")).toContainText("Test App");
}

test("objects: create, filter by tag, edit, owner scope, schema, append, delete", async ({
  page,
  server,
}) => {
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") pageErrors.push(m.text());
  });
  const dialogs: string[] = [];
  page.on("dialog", async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  // Two more objects to filter among.
  for (const [name, tags] of [
    ["Kitchen humidity", "home humidity"],
    ["Steps", "fitness"],
  ]) {
    await server.api("POST", "/api/objects", { name, type: "timeseries", app: "self", tags, meta: {} });
  }
  await signIn(page, server);
  const table = page.getByRole("table", { name: "Objects" });
  // The server is shared by the specs of this worker, so the list is checked by name, not counted.
  const rowOf = (name: string) =>
    table.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
  await expect(rowOf("Kitchen humidity")).toBeVisible();
  await expect(rowOf("Steps")).toBeVisible();

  // Create an object whose name is markup: it must show as text.
  await page.getByRole("button", { name: "New object" }).first().click();
  const dialog = page.getByRole("dialog", { name: "New object" });
  await dialog.getByLabel("Name").fill(XSS_NAME);
  await dialog.getByLabel("Tags").fill("home temperature");
  await dialog.getByLabel("Key").fill("kitchen-temp");
  await dialog.getByLabel("Description").fill("Kitchen thermometer <b>not bold</b>");
  await dialog.getByLabel("Schema").selectOption("number");
  await page.screenshot({ path: shot("1-new-object-dialog") });
  await dialog.getByRole("button", { name: "Create object" }).click();

  // The new object's page opens; the URL names it.
  await expect(page).toHaveURL(/\/objects\/[0-9a-f-]{36}$/);
  const objectUrl = page.url();
  const heading = page.getByRole("heading", { level: 1 });
  await expect(heading).toHaveText(XSS_NAME);
  await expect(page.locator("img[src=x]")).toHaveCount(0);
  await expect(page.getByText("Kitchen thermometer <b>not bold</b>")).toBeVisible();

  // Back to the list, filter by the tag "home" (all-of, on the server).
  await page.getByRole("link", { name: "Objects", exact: true }).click();
  const row = rowOf(XSS_NAME);
  await expect(row).toContainText("kitchen-temp");
  await row.getByRole("button", { name: "home" }).click();
  await expect(page.getByRole("button", { name: "Remove tag filter home" })).toBeVisible();
  await expect(rowOf("Steps")).toBeHidden();
  await expect(rowOf(XSS_NAME)).toBeVisible();
  await expect(rowOf("Kitchen humidity")).toBeVisible();
  await rowOf("Kitchen humidity").getByRole("button", { name: "humidity" }).click();
  await expect(rowOf(XSS_NAME)).toBeHidden();
  await expect(rowOf("Kitchen humidity")).toBeVisible();
  await page.screenshot({ path: shot("2-filtered-by-tags") });
  await page.getByRole("button", { name: "Remove tag filter humidity" }).click();
  await expect(rowOf(XSS_NAME)).toBeVisible();
  await expect(rowOf("Steps")).toBeHidden();
  await page.getByRole("button", { name: "Clear filters" }).first().click();
  await expect(rowOf("Steps")).toBeVisible();
  // Keyboard: "/" jumps to the text filter.
  await page.locator("body").click({ position: { x: 5, y: 400 } });
  await page.keyboard.press("/");
  await expect(page.getByLabel("Filter", { exact: true })).toBeFocused();
  await page.keyboard.type("steps");
  await expect(rowOf("Steps")).toBeVisible();
  await expect(rowOf("Kitchen humidity")).toBeHidden();
  await page.getByRole("button", { name: "Clear filters" }).first().click();

  // Open it again by link and edit name, description, tags and key inline.
  await table.getByRole("link", { name: XSS_NAME }).click();
  await expect(page).toHaveURL(objectUrl);
  await page.getByRole("button", { name: "Edit name" }).click();
  await page.getByRole("textbox", { name: "Name" }).fill("Kitchen temperature");
  await page.keyboard.press("Enter");
  await expect(heading).toHaveText("Kitchen temperature");
  await page.getByRole("button", { name: "Edit description" }).click();
  await page.getByRole("textbox", { name: "Description" }).fill("Degrees Celsius, every 5 minutes");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Degrees Celsius, every 5 minutes")).toBeVisible();
  await page.getByRole("button", { name: "Edit tags" }).click();
  await page.getByRole("textbox", { name: "Tags" }).fill("home temperature kitchen");
  await page.keyboard.press("Enter");
  await expect(page.locator(".object-facts")).toContainText("kitchen");
  await page.getByRole("button", { name: "Edit key" }).click();
  await page.getByRole("textbox", { name: "Key" }).fill("kitchen-temperature");
  await page.keyboard.press("Enter");
  await expect(page.locator(".object-facts")).toContainText("kitchen-temperature");
  const id = objectUrl.split("/").pop()!;
  const stored = await server.api<{ name: string; tags: string; key: string; description: string }>(
    "GET",
    `/api/objects/${id}`,
  );
  expect(stored.name).toBe("Kitchen temperature");
  expect(stored.key).toBe("kitchen-temperature");
  expect(stored.tags.split(" ").sort()).toEqual(["home", "kitchen", "temperature"]);
  await page.screenshot({ path: shot("3-edited-header") });

  // Owner scope: take away delete and write, keep read.
  await page.getByRole("tab", { name: "Access" }).click();
  await expect(page).toHaveURL(`${objectUrl}/access`);
  await page.getByRole("checkbox", { name: /Everything/ }).uncheck();
  for (const name of ["Read read", "Update update", "Update basics update:basic"]) {
    await page.getByRole("checkbox", { name, exact: true }).check();
  }
  await page.getByRole("button", { name: "Save owner access" }).click();
  await expect(page.getByText("Owner access saved")).toBeVisible();
  expect(
    (await server.api<{ owner_scope: string }>("GET", `/api/objects/${id}`)).owner_scope.split(" ").sort(),
  ).toEqual(["read", "update", "update:basic"]);
  // Removing read warns and needs a confirmation.
  await page.getByRole("checkbox", { name: "Read read", exact: true }).uncheck();
  await expect(page.getByRole("alert").filter({ hasText: "locks the owner out" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Save owner access" })).toBeDisabled();
  await page.screenshot({ path: shot("4-owner-scope-warning") });
  await page.getByRole("button", { name: "Discard" }).click();
  // The tab is in the URL: a reload reopens it.
  await page.reload();
  await expect(page.getByRole("tab", { name: "Access" })).toHaveAttribute("aria-selected", "true");

  expect(pageErrors).toEqual([]);
  // Schema: build an object schema visually, save it (the existing data is checked first).
  // The tabs follow the WAI-ARIA keyboard pattern: Left from Access selects Schema.
  await page.getByRole("tab", { name: "Access" }).focus();
  await page.keyboard.press("ArrowLeft");
  await expect(page).toHaveURL(`${objectUrl}/schema`);
  await expect(page.getByRole("tab", { name: "Schema" })).toBeFocused();
  await page.getByLabel("Data type").selectOption("object");
  await page.getByRole("button", { name: "Add property" }).click();
  await page.getByRole("group", { name: "Property 1" }).getByLabel("Name").fill("celsius");
  const celsius = page.getByRole("group", { name: "Property celsius" });
  await celsius.getByLabel("Required").check();
  await celsius.getByLabel("Minimum").fill("-50");
  await celsius.getByLabel("Maximum").fill("60");
  await page.getByRole("button", { name: "Add property" }).click();
  await page.getByRole("group", { name: "Property 2" }).getByLabel("Name").fill("room");
  await page.getByRole("group", { name: "Property room" }).getByLabel("Type").selectOption("enum");
  await page.getByRole("group", { name: "Property room" }).getByLabel("Allowed values").fill("kitchen, hall");
  const json = page.getByRole("textbox", { name: "Schema as JSON" });
  await expect(json).toHaveValue(/"celsius"/);
  await expect(json).toHaveValue(/"required": \[\s*"celsius"\s*\]/);
  await page.getByRole("heading", { name: "Visual" }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: shot("5-schema-visual") });
  await page.getByRole("button", { name: "Save schema" }).click();
  await expect(page.getByText(/Checked all 0 datapoints/)).toBeVisible();
  await expect(page.getByText("Schema saved")).toBeVisible();
  const saved = await server.api<{ meta: { schema: unknown } }>("GET", `/api/objects/${id}`);
  expect(saved.meta.schema).toEqual({
    type: "object",
    properties: {
      celsius: { type: "number", minimum: -50, maximum: 60 },
      room: { enum: ["kitchen", "hall"] },
    },
    required: ["celsius"],
  });
  // A JSON typo is shown at its line: the meta-schema check runs in the schema worker (the page's
  // CSP has no 'unsafe-eval'; only the worker's script may compile schemas).
  await json.fill('{\n  "type": "object",\n  "properties": {\n    "x": { "type": "nubmer" }\n  }\n}');
  await expect(page.getByRole("alert").filter({ hasText: "Line 4" })).toBeVisible();
  await json.fill('{\n  "type": "numbr"\n}');
  const metaError = page.getByRole("alert").filter({ hasText: /^Line 2, column \d+: \/type: / });
  await expect(metaError).toBeVisible();
  await expect(json).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator(".gutter-line.error")).toHaveText("2");
  await expect(page.getByRole("button", { name: "Save schema" })).toBeDisabled();
  await expect(page.getByRole("status").filter({ hasText: "Not saveable: Line 2:" })).toBeVisible();
  await page.getByRole("heading", { name: "JSON" }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: shot("6-schema-json-error") });
  await page.getByRole("button", { name: "Discard changes" }).click();
  await expect(page.getByText("Valid JSON Schema.")).toBeVisible();

  // Append: an invalid value is stopped in the browser, with no request sent.
  await page.getByRole("tab", { name: "Data" }).click();
  const count = page.getByTestId("datapoint-count");
  await expect(count).toHaveText("0");
  const posts: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "POST" && r.url().includes("/timeseries")) posts.push(r.url());
  });
  const form = page.getByRole("form", { name: "Add a datapoint" });
  await form.getByLabel("celsius").fill("75");
  await form.getByRole("button", { name: "Append" }).click();
  await expect(form.getByText("Must be <= 60")).toBeVisible();
  await expect(form.getByLabel("celsius")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("celsius")).toBeFocused();
  await expect(form.getByRole("status")).toHaveText("Not sent: fix the field marked above.");
  await page.screenshot({ path: shot("7-append-invalid") });
  expect(posts).toEqual([]);

  await form.getByLabel("celsius").fill("21.5");
  await form.getByLabel("room (optional)").selectOption("kitchen");
  await form.getByRole("button", { name: "Append" }).click();
  await expect(count).toHaveText("1");
  expect(posts).toHaveLength(1);
  // One data table: the viewer's range (the latest points by default), below the append form.
  await expect(page.getByRole("table", { name: "Recent datapoints" })).toHaveCount(0);
  const tables = page.getByRole("region", { name: "Datapoints in range" });
  await expect(tables).toHaveCount(1);
  const rows = tables.getByTestId("table-row");
  await expect(rows.first()).toContainText('{"celsius":21.5,"room":"kitchen"}');
  await form.getByLabel("celsius").fill("19");
  await form.getByRole("button", { name: "Append" }).click();
  await expect(count).toHaveText("2");
  await expect(page.getByTestId("table-count")).toHaveText("2 points");
  await expect(rows.first()).toContainText('{"celsius":19}');
  expect(posts).toHaveLength(2);
  // The order on the page: chart, append form, data table.
  const top = async (l: Locator) => (await l.boundingBox())!.y;
  const chartTop = await top(page.getByRole("region", { name: "Chart" }));
  const formTop = await top(form);
  const tableTop = await top(tables);
  expect(chartTop).toBeLessThan(formTop);
  expect(formTop).toBeLessThan(tableTop);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: shot("8-appended"), fullPage: true });

  // Edit the newest point in the same form: its fields start from the stored value, the schema is
  // checked before anything is sent, and the write keeps the point's exact time.
  const [before] = await server.api<{ t: number; d: unknown }[]>("GET", `/api/objects/${id}/timeseries?i=-1`);
  await rows.first().getByRole("button", { name: "Edit" }).click();
  const edit = page.getByRole("dialog", { name: "Edit datapoint" });
  await expect(edit.getByLabel("celsius")).toHaveValue("19");
  await edit.getByLabel("celsius").fill("99");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit.getByText("Must be <= 60")).toBeVisible();
  await expect(edit.getByLabel("celsius")).toHaveAttribute("aria-invalid", "true");
  await page.screenshot({ path: shot("8a-edit-invalid") });
  expect(posts).toHaveLength(2);
  await edit.getByLabel("celsius").fill("18");
  await edit.getByLabel("room (optional)").selectOption("hall");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit).toHaveCount(0);
  await expect(rows.first()).toContainText('{"celsius":18,"room":"hall"}');
  expect(posts).toHaveLength(3);
  await expect(count).toHaveText("2");
  const [after] = await server.api<{ t: number; d: unknown }[]>("GET", `/api/objects/${id}/timeseries?i=-1`);
  expect(after).toEqual({ t: before!.t, d: { celsius: 18, room: "hall" } });

  // The theme follows the system setting.
  await page.emulateMedia({ colorScheme: "dark" });
  await page.getByRole("tab", { name: "Schema" }).click();
  await page.screenshot({ path: shot("8b-dark-schema") });
  await page.getByRole("tab", { name: "Data" }).click();
  await expect(rows.first()).toContainText('{"celsius":18,"room":"hall"}');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: shot("8c-dark-data"), fullPage: true });
  await page.emulateMedia({ colorScheme: "light" });

  // Delete, with confirmation.
  await page.getByRole("button", { name: "Delete…" }).click();
  const confirm = page.getByRole("dialog", { name: /Delete/ });
  await expect(confirm).toContainText("2 datapoints");
  await page.screenshot({ path: shot("9-delete-confirm") });
  await confirm.getByRole("button", { name: "Delete object" }).click();
  await expect(page).toHaveURL(`${server.url}/`);
  await expect(rowOf("Kitchen humidity")).toBeVisible();
  await expect(rowOf("Kitchen temperature")).toHaveCount(0);
  await expect(server.api("GET", `/api/objects/${id}`)).rejects.toThrow(/403/);
  await page.screenshot({ path: shot("10-after-delete") });
  expect(dialogs).toEqual([]);
  // No schema check ran into the CSP (ajv compiles only in the schema worker).
  expect(pageErrors.filter((e) => /unsafe-eval|Content Security Policy/i.test(e))).toEqual([]);
  expect(pageErrors).toEqual([]);
});
