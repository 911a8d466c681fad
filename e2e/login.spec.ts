import { expect, test } from "./fixtures";

// Screenshots of the main states go to this test's output folder (look at them after a run).
const shot = (name: string) => test.info().outputPath(`login-${name}.png`);

test("login: bad token, unreachable server, good token, sign out, then a #token= link", async ({
  page,
  server,
}) => {
  await page.goto(server.url);
  const form = page.getByRole("form", { name: "Sign in to heedy explorer" });
  await expect(form).toBeVisible();
  await expect(page.getByLabel("Server URL")).toHaveValue(server.url);

  // A wrong token: the server delays 1 s, then answers 401.
  await page.getByLabel("App token").fill("not-the-token");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("Token rejected");
  await expect(page.getByLabel("App token")).toHaveAttribute("aria-invalid", "true");
  await page.screenshot({ path: shot("1-bad-token") });

  // Nothing listens on port 9: no HTTP answer at all.
  await page.getByLabel("Server URL").fill("http://127.0.0.1:9");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("Server unreachable");
  await page.screenshot({ path: shot("2-unreachable") });

  // Something answers, but with a web page instead of heedy's JSON (the app's own index.html).
  await page.getByLabel("Server URL").fill(`${server.url}/not-heedy/`);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("Not a heedy server");
  await page.screenshot({ path: shot("2b-not-heedy") });

  await page.getByLabel("Server URL").fill(server.url);
  await page.getByLabel("App token").fill(server.token);
  await page.getByLabel("Remember on this device").check();
  await page.getByRole("button", { name: "Sign in" }).click();
  const banner = page.getByRole("banner");
  await expect(banner).toContainText("Test App");
  await expect(banner).toContainText("owned by test");
  await banner.getByText("Scopes:").click();
  await expect(page.getByRole("heading", { name: "What this app may do" })).toBeVisible();
  await expect(banner).toContainText("Full access to everything the owner can do");
  await page.screenshot({ path: shot("3-signed-in") });
  await page.keyboard.press("Escape");
  await expect(page.getByRole("heading", { name: "What this app may do" })).toBeHidden();

  // Remembered: a reload keeps the session.
  await page.reload();
  await expect(page.getByRole("banner")).toContainText("Test App");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(form).toBeVisible();
  expect(
    await page.evaluate(() => Object.keys(localStorage).length + Object.keys(sessionStorage).length),
  ).toBe(0);

  // A #token= link signs in and the token leaves the address bar.
  await page.goto(`${server.url}/#token=${server.token}`);
  await expect(page.getByRole("banner")).toContainText("Test App");
  expect(new URL(page.url()).hash).toBe("");
  // Not remembered: only this tab holds it.
  expect(await page.evaluate(() => localStorage.length)).toBe(0);
  expect(await page.evaluate(() => sessionStorage.length)).toBe(1);
  await page.screenshot({ path: shot("4-fragment-link") });
});

test("an app without self.objects sees why its list is empty", async ({ page, server }) => {
  // Created as the owner through the plugin key (apps may not create apps, contract 7.5).
  const res = await fetch(`${server.url}/api/apps?token=true`, {
    method: "POST",
    headers: { "X-Heedy-Key": server.pluginKey, "X-Heedy-As": "test", "Content-Type": "application/json" },
    body: JSON.stringify({ name: "Profile reader", scope: "owner:read" }),
  });
  expect(res.status).toBe(200);
  const app = (await res.json()) as { access_token: string };
  await page.goto(`${server.url}/#token=${app.access_token}`);
  await expect(page.getByRole("banner")).toContainText("Profile reader");
  await expect(page.getByRole("heading", { name: "This app can't see its objects" })).toBeVisible();
  await expect(page.getByText("self.objects:read")).toBeVisible();
  await expect(page.getByRole("button", { name: "New object" })).toBeDisabled();
  await page.screenshot({ path: shot("5-no-object-scope") });
});

test("a token revoked during the session sends you back to sign in", async ({ page, server }) => {
  const asOwner = {
    "X-Heedy-Key": server.pluginKey,
    "X-Heedy-As": "test",
    "Content-Type": "application/json",
  };
  const created = await fetch(`${server.url}/api/apps?token=true`, {
    method: "POST",
    headers: asOwner,
    body: JSON.stringify({ name: "Short-lived", scope: "self.objects" }),
  });
  const app = (await created.json()) as { id: string; access_token: string };
  await page.goto(`${server.url}/#token=${app.access_token}`);
  await expect(page.getByRole("banner")).toContainText("Short-lived");
  const removed = await fetch(`${server.url}/api/apps/${app.id}`, { method: "DELETE", headers: asOwner });
  expect(removed.status).toBe(200);
  // Any request now gets a 401; the central error path signs out and says why.
  await page.getByLabel("Type").selectOption("timeseries");
  await expect(page.getByRole("form", { name: "Sign in to heedy explorer" })).toBeVisible();
  await expect(page.getByRole("alert")).toContainText("no longer accepts this token");
  expect(await page.evaluate(() => sessionStorage.length + localStorage.length)).toBe(0);
  await page.screenshot({ path: shot("6-revoked") });
});
