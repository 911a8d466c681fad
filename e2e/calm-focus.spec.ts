import { type ChildProcess, spawn } from "node:child_process";
import type { Page } from "@playwright/test";
import { waitForServer } from "../src/server/test-net";
import { exit, expect, MAIN, type RealServer, startRealServer, test } from "./fixtures";

async function createNumberSeries(server: RealServer, name: string): Promise<string> {
  const o = await server.api<{ id: string }>("POST", "/api/objects", {
    name,
    type: "timeseries",
    app: "self",
    meta: { schema: { type: "number", maximum: 100 } },
  });
  await server.api("POST", `/api/objects/${o.id}/timeseries`, [{ t: Date.now() / 1000 - 60, d: 1 }]);
  return o.id;
}

async function signIn(page: Page, server: RealServer, path = "/") {
  await page.goto(`${server.url}${path}#token=${server.token}`);
  await expect(page.getByRole("banner")).toContainText("Test App");
}

test("server killed: one banner, no toasts, checks still run offline; gone after restart", async ({
  page,
}) => {
  test.setTimeout(120_000);
  // A server of its own, so it can be stopped and started again on the same port and folder.
  const own = await startRealServer("calm-failure-token-0123456789");
  const port = new URL(own.url).port;
  let restarted: ChildProcess | undefined;
  try {
    const id = await createNumberSeries(own, "Pressure");
    await signIn(page, own, `/objects/${id}?refresh=5s`);
    await expect(page.getByTestId("chart")).toBeVisible();
    // The schema checker is loaded with the page, before anything is appended.
    await page.waitForTimeout(500);

    // Stop the server process; the data folder stays for the restart.
    await own.halt();
    const banner = page.getByTestId("connection-banner");
    await expect(banner).toBeVisible({ timeout: 20_000 });
    await expect(banner).toContainText("Server unreachable, retrying…");
    // Three more polls fail: still one banner, and no toast at all (no raw URL anywhere).
    await page.waitForTimeout(12_000);
    await expect(banner).toHaveCount(1);
    await expect(page.locator(".toast")).toHaveCount(0);
    await expect(page.locator("body")).not.toContainText("/api/");

    // Validation still works offline; a valid value is refused for the right reason.
    const form = page.getByRole("form", { name: "Add a datapoint" });
    const value = form.getByLabel("Value", { exact: true });
    await value.fill("500");
    await form.getByRole("button", { name: "Append" }).click();
    await expect(form.getByText("Must be <= 100")).toBeVisible();
    await value.fill("42");
    await form.getByRole("button", { name: "Append" }).click();
    await expect(form.getByRole("alert")).toContainText("Not sent: the server could not be reached");
    await expect(form.getByRole("status")).not.toContainText("fix the field");

    // Back up on the same port and folder: the banner goes by itself.
    restarted = spawn("node", [MAIN, "start", own.dataDir, "--port", port], { stdio: "pipe" });
    await waitForServer(`${own.url}/api/server/version`, { child: restarted });
    await expect(banner).toHaveCount(0, { timeout: 20_000 });
    await expect(page.locator(".toast.error")).toHaveCount(0);
  } finally {
    if (restarted) await exit(restarted);
    await own.stop();
  }
});

test("dialogs: focus on the first field, Cancel in confirms, back to the opener on close", async ({
  page,
  server,
}) => {
  const id = await createNumberSeries(server, "Focus check");
  await signIn(page, server);
  const opener = page.getByRole("button", { name: "New object" }).first();
  await opener.click();
  const dialog = page.getByRole("dialog", { name: "New object" });
  await expect(dialog.getByLabel("Name")).toBeFocused();
  await page.keyboard.type("Typed straight in");
  await expect(dialog.getByLabel("Name")).toHaveValue("Typed straight in");
  // Escape on a filled form asks first.
  await page.keyboard.press("Escape");
  await expect(dialog.getByRole("button", { name: "Keep editing" })).toBeFocused();
  await dialog.getByRole("button", { name: "Keep editing" }).click();
  await expect(dialog.getByLabel("Name")).toHaveValue("Typed straight in");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await dialog.getByRole("button", { name: "Discard" }).click();
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();

  // A route change focuses the new page's heading.
  await page.getByRole("link", { name: "Focus check" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Focus check" })).toBeFocused();

  // A destructive confirm starts on Cancel; closing returns to the row's button.
  const del = page.getByRole("button", { name: /^Delete point at / }).first();
  await del.click();
  const confirm = page.getByRole("dialog", { name: "Delete datapoint" });
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(confirm).toBeHidden();
  await expect(del).toBeFocused();

  // Append keeps focus in the form.
  const form = page.getByRole("form", { name: "Add a datapoint" });
  await form.getByLabel("Value", { exact: true }).fill("7");
  await form.getByRole("button", { name: "Append" }).click();
  await expect(form.getByRole("status")).toContainText("Appended 7");
  await expect(form.getByLabel("Value", { exact: true })).toBeFocused();
  expect(id).toBeTruthy();
});

test("a dirty schema draft asks before the object is left", async ({ page, server }) => {
  const id = await createNumberSeries(server, "Draft guard");
  await signIn(page, server);
  await page.getByRole("link", { name: "Draft guard" }).click();
  await page.getByRole("tab", { name: "Schema" }).click();
  const json = page.getByRole("textbox", { name: "Schema as JSON" });
  await json.fill('{\n  "type": "number",\n  "maximum": 50\n}');
  await expect(page.getByRole("status").filter({ hasText: "Unsaved changes" })).toBeVisible();
  // Another tab of the same object keeps the draft: no question.
  await page.getByRole("tab", { name: "Data" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await page.getByRole("tab", { name: "Schema" }).click();
  await expect(json).toHaveValue(/"maximum": 50/);
  // Leaving for the list asks; Stay keeps everything.
  await page.getByRole("link", { name: "Objects", exact: true }).click();
  const ask = page.getByRole("dialog", { name: "Leave without saving?" });
  await expect(ask).toContainText("The schema has unsaved changes");
  await expect(ask.getByRole("button", { name: "Stay" })).toBeFocused();
  await ask.getByRole("button", { name: "Stay" }).click();
  await expect(page).toHaveURL(new RegExp(`/objects/${id}/schema$`));
  await expect(json).toHaveValue(/"maximum": 50/);
  // Back within the object is fine (the Data tab); Back to the list asks too.
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/objects/${id}$`));
  await expect(ask).toBeHidden();
  // History: list, object, schema, data, schema, and now back on data: three more steps reach the list.
  await page.evaluate(() => window.history.go(-3));
  await expect(ask).toBeVisible();
  await ask.getByRole("button", { name: "Stay" }).click();
  await expect(page).toHaveURL(new RegExp(`/objects/${id}$`));
  await page.getByRole("link", { name: "Objects", exact: true }).click();
  await ask.getByRole("button", { name: "Leave and discard" }).click();
  await expect(page.getByRole("heading", { name: "Objects", level: 1 })).toBeVisible();
});
