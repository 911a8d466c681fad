import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "@playwright/test";
import { expect, type RealServer, test } from "./fixtures";

// Issue 12's journeys: a person signs in with a password, manages apps, their account and users.
const shot = (name: string) => test.info().outputPath(`accounts-${name}.png`);

/** The plugin key acting as `as` (heedy's admin path), for fixtures the UI is not under test for. */
async function plugin<T = unknown>(
  server: RealServer,
  method: string,
  path: string,
  body?: unknown,
  as?: string,
) {
  const headers: Record<string, string> = {
    "X-Heedy-Key": server.pluginKey,
    "Content-Type": "application/json",
  };
  if (as) headers["X-Heedy-As"] = as;
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

async function signInAsPerson(page: Page, server: RealServer, username: string, password: string) {
  await page.goto(server.url);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
}

async function signInWithToken(page: Page, server: RealServer, token: string) {
  await page.goto(server.url);
  await page.getByLabel("App token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

test("a person sees the objects of all their apps, filters by app, and signs out on the server", async ({
  page,
  server,
}) => {
  const made: Record<string, { id: string; object: string }> = {};
  for (const name of ["Kitchen sensor", "Bike computer"]) {
    const app = await plugin<{ id: string; access_token: string }>(
      server,
      "POST",
      "/api/apps?token=true",
      { name, scope: "self.objects" },
      "test",
    );
    const object = await server.api<{ id: string }>(
      "POST",
      "/api/objects",
      { name: `${name} series`, type: "timeseries", meta: {} },
      app.access_token,
    );
    made[name] = { id: app.id, object: object.id };
  }
  await signInAsPerson(page, server, "test", "test");
  const table = page.getByRole("table", { name: "Objects" });
  const rowOf = (name: string) =>
    table.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
  await expect(rowOf("Kitchen sensor series")).toContainText("Kitchen sensor");
  await expect(rowOf("Bike computer series")).toContainText("Bike computer");
  await page.screenshot({ path: shot("1-objects-of-two-apps") });

  await page.getByLabel("App", { exact: true }).selectOption({ label: "Bike computer" });
  await expect(rowOf("Kitchen sensor series")).toBeHidden();
  await expect(rowOf("Bike computer series")).toBeVisible();
  expect(new URL(page.url()).searchParams.get("app")).toBe(made["Bike computer"]!.id);
  await page.getByRole("button", { name: "Clear filters" }).first().click();
  await expect(rowOf("Kitchen sensor series")).toBeVisible();

  // Sign-out ends the session on the server, not only in the page.
  expect(await page.evaluate(() => fetch("/frontend_context").then((r) => r.json()))).toMatchObject({
    user: { username: "test" },
  });
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("form", { name: "Log in with your password" })).toBeVisible();
  await expect
    .poll(() => page.evaluate(() => fetch("/frontend_context").then((r) => r.json())))
    .toMatchObject({ user: null });
});

test("an app made with the append preset: its token, reset, disable and delete", async ({
  page,
  server,
  browser,
}) => {
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  // Another app's object, which the new app must not reach.
  const other = await plugin<{ access_token: string }>(
    server,
    "POST",
    "/api/apps?token=true",
    { name: "Private diary", scope: "self.objects" },
    "test",
  );
  const secret = await server.api<{ id: string }>(
    "POST",
    "/api/objects",
    { name: "Diary entries", type: "timeseries", meta: {} },
    other.access_token,
  );

  await signInAsPerson(page, server, "test", "test");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Apps" }).click();
  await page.getByRole("button", { name: "New app" }).click();
  const dialog = page.getByRole("dialog", { name: "New app" });
  await dialog.getByLabel("Name").fill("Step logger");
  await dialog.getByLabel("Description").fill("Counts steps on my phone");
  await dialog.getByRole("button", { name: "Full access" }).click();
  await expect(dialog.getByText("Everything you can do yourself")).toBeVisible();
  await dialog.getByRole("button", { name: "Append to its own series" }).click();
  await expect(dialog.getByRole("button", { name: "Append to its own series" })).toHaveAttribute(
    "aria-pressed",
    "true",
  );
  await expect(dialog.getByText("Create its own objects and read and add data to them.")).toBeVisible();
  await expect(dialog.getByRole("checkbox", { name: "self.objects:write" })).toBeChecked();
  await expect(dialog.getByRole("checkbox", { name: "objects:read", exact: true })).not.toBeChecked();
  await page.screenshot({ path: shot("2-new-app-dialog") });
  await dialog.getByRole("button", { name: "Create app" }).click();

  // The token, once, with a copy button.
  const created = page.getByRole("dialog", { name: "Created “Step logger”" });
  const token = await created.getByRole("textbox", { name: "Access token" }).inputValue();
  expect(token.length).toBeGreaterThan(20);
  await created.getByRole("button", { name: "Copy token" }).click();
  await expect(created.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
  await expect(created.getByRole("link", { name: /Sign in to the explorer as this app/ })).toHaveAttribute(
    "href",
    `/#token=${encodeURIComponent(token)}`,
  );
  await page.screenshot({ path: shot("3-token-once") });
  await created.getByRole("link", { name: "Open the app's page" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Step logger" })).toBeVisible();

  // A second browser signs in with that token: appending to its own series works.
  const phone = await newPage(browser);
  await signInWithToken(phone, server, token);
  await expect(phone.getByRole("banner")).toContainText("Step logger");
  await phone.getByRole("button", { name: "New object" }).first().click();
  const newObject = phone.getByRole("dialog", { name: "New object" });
  await newObject.getByLabel("Name").fill("steps");
  await newObject.getByLabel("Schema").selectOption("number");
  await newObject.getByRole("button", { name: "Create object" }).click();
  await expect(phone).toHaveURL(/\/objects\/[0-9a-f-]{36}$/);
  const form = phone.locator(".append-form");
  await form.getByLabel("Value").fill("4200");
  await form.getByRole("button", { name: "Append" }).click();
  await expect(phone.getByRole("list", { name: "Legend" })).toContainText("4,200");
  // Another app's object is refused, and the page says so.
  await phone.goto(`${server.url}/objects/${secret.id}`);
  await expect(phone.getByRole("heading", { name: "Object unavailable" })).toBeVisible();
  await expect(phone.getByRole("alert")).toContainText(/not_found|access_denied/);
  await phone.screenshot({ path: shot("4-other-apps-object-refused") });

  // The owner sees the new object on the app's page.
  await page.reload();
  await expect(page.getByRole("region", { name: "Objects of this app" })).toContainText("steps");

  // Reset the token: the old one stops working.
  await page.getByRole("button", { name: "Reset token…" }).click();
  await page
    .getByRole("dialog", { name: "Reset the token of “Step logger”?" })
    .getByRole("button", { name: "Reset token" })
    .click();
  const fresh = await page.getByRole("textbox", { name: "Access token" }).inputValue();
  expect(fresh).not.toBe(token);
  await phone.goto(server.url);
  await expect(phone.getByRole("alert")).toContainText("Token rejected");
  await signInWithToken(phone, server, fresh);
  await expect(phone.getByRole("banner")).toContainText("Step logger");

  // Disable the app: its token is refused.
  await page.getByRole("button", { name: "Disable app" }).click();
  await expect(page.getByRole("heading", { name: "Disabled", exact: true })).toBeVisible();
  await phone.reload();
  await expect(phone.getByRole("alert")).toContainText("Token rejected");
  await page.screenshot({ path: shot("5-app-page-disabled"), fullPage: true });

  // Delete it: the confirmation says how many objects go with it.
  await page.getByRole("button", { name: "Delete app…" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete “Step logger”?" });
  await expect(confirm).toContainText("its 1 object");
  await confirm.getByRole("button", { name: "Delete app and 1 object" }).click();
  await expect(page).toHaveURL(/\/apps$/);
  await expect(page.getByRole("table", { name: "Apps" })).not.toContainText("Step logger");
  await expect(page.getByRole("table", { name: "Apps" })).toContainText("Private diary");
  await phone.context().close();
});

test("password change, and signing out another session from the sessions list", async ({
  page,
  server,
  browser,
}) => {
  await plugin(server, "POST", "/api/users", { username: "pat", password: "old-pass" });
  await signInAsPerson(page, server, "pat", "old-pass");
  const laptop = await newPage(browser);
  await signInAsPerson(laptop, server, "pat", "old-pass");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Account" }).click();
  const sessions = page.getByRole("table", { name: "Sessions" });
  await expect(sessions.getByRole("row")).toHaveCount(3);
  await expect(sessions.getByText("this browser")).toHaveCount(1);
  await page.screenshot({ path: shot("6-account"), fullPage: true });
  const other = sessions
    .getByRole("row")
    .filter({ hasNotText: "this browser" })
    .filter({ has: page.getByRole("button") });
  await other.getByRole("button", { name: /^Sign out/ }).click();
  await expect(sessions.getByRole("row")).toHaveCount(2);
  // The other browser goes back to sign-in as soon as it looks again.
  await laptop.evaluate(() => window.dispatchEvent(new Event("focus")));
  await expect(laptop.getByRole("form", { name: "Log in with your password" })).toBeVisible();
  await expect(laptop.getByRole("alert")).toContainText("Signed out");

  // The current password is required.
  const password = page.getByRole("form", { name: "Change password" });
  await password.getByLabel("Current password").fill("not-it");
  await password.getByLabel("New password", { exact: true }).fill("new-pass");
  await password.getByLabel("Repeat the new password").fill("new-pass");
  await password.getByRole("button", { name: "Change password" }).click();
  await expect(password.getByRole("alert")).toContainText("The current password is wrong");
  await password.getByLabel("Current password").fill("old-pass");
  await password.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Password changed")).toBeVisible();

  // The old password stops working; the new one works.
  await laptop.getByLabel("Username").fill("pat");
  await laptop.getByLabel("Password", { exact: true }).fill("old-pass");
  await laptop.getByRole("button", { name: "Log in" }).click();
  await expect(laptop.getByRole("alert")).toContainText("Wrong username or password");
  await laptop.getByLabel("Password", { exact: true }).fill("new-pass");
  await laptop.getByRole("button", { name: "Log in" }).click();
  await expect(laptop.getByRole("navigation", { name: "Main" })).toBeVisible();
  await laptop.context().close();
});

test("an admin creates a user who can then sign in, grants admin and deletes them", async ({
  page,
  server,
  browser,
}) => {
  await signInAsPerson(page, server, "test", "test");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
  const form = page.getByRole("form", { name: "Create a user" });
  await form.getByLabel("Username").fill("newbie");
  await form.getByLabel("Name (optional)").fill("New Person");
  await form.getByLabel("Password").fill("newbie-pass");
  await form.getByRole("button", { name: "Create user" }).click();
  const users = page.getByRole("table", { name: "Users" });
  await expect(users).toContainText("newbie");
  // The checkbox follows the server's list, so the click is checked by its outcome.
  await users.getByRole("checkbox", { name: "Admin: newbie" }).click();
  await expect(users.getByRole("checkbox", { name: "Admin: newbie" })).toBeChecked();
  await expect(page.getByText("newbie is now an admin")).toBeVisible();
  await page.screenshot({ path: shot("7-users"), fullPage: true });

  const other = await newPage(browser);
  await signInAsPerson(other, server, "newbie", "newbie-pass");
  await expect(other.getByRole("banner")).toContainText("New Person");
  await expect(
    other.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }),
  ).toBeVisible();
  await other.context().close();

  await users.getByRole("checkbox", { name: "Admin: newbie" }).click();
  await expect(users.getByRole("checkbox", { name: "Admin: newbie" })).not.toBeChecked();
  await expect(page.getByText("newbie is no longer an admin")).toBeVisible();
  await users.getByRole("button", { name: "Delete user newbie" }).click();
  await page
    .getByRole("dialog", { name: "Delete user “newbie”?" })
    .getByRole("button", { name: "Delete user" })
    .click();
  await expect(users).not.toContainText("newbie");
});

test("a cross-site form post with the session cookie is refused", async ({ page, server }) => {
  await signInAsPerson(page, server, "test", "test");
  // Another port of the same host is the same *site*, so the SameSite=Lax cookie is sent: only the
  // server's Origin check stands between this page and the account.
  const evil = createServer((_req, res) => {
    res.setHeader("content-type", "text/html");
    res.end(`<form id="f" method="POST" action="${server.url}/api/apps" enctype="text/plain">
      <input name='{"name":"Evil app","scope":"*","x":"' value='"}'>
    </form><script>document.getElementById("f").submit()</script>`);
  });
  await new Promise<void>((r) => evil.listen(0, "127.0.0.1", () => r()));
  const port = (evil.address() as AddressInfo).port;
  try {
    const answer = page.waitForResponse(
      (r) => r.url() === `${server.url}/api/apps` && r.request().method() === "POST",
    );
    await page.goto(`http://127.0.0.1:${port}/`);
    const res = await answer;
    expect(res.status()).toBe(403);
    expect(await res.text()).toContain("access_denied");
  } finally {
    evil.close();
  }
  const apps = await plugin<{ name: string }[]>(server, "GET", "/api/apps?owner=test");
  expect(apps.map((a) => a.name)).not.toContain("Evil app");
});

test("failed sign-ins say why, including the rate limit", async ({ page, server }) => {
  await page.goto(server.url);
  await page.getByLabel("Username").fill("ghost");
  for (let i = 0; i < 5; i++) {
    await page.getByLabel("Password", { exact: true }).fill(`guess-${i}`);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.getByRole("alert")).toContainText("Wrong username or password");
    await expect(page.getByRole("button", { name: "Log in" })).toBeVisible();
  }
  await page.getByLabel("Password", { exact: true }).fill("guess-5");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("alert")).toContainText(
    /Too many attempts, try again in \d+ (seconds|minutes?)/,
  );
  await page.screenshot({ path: shot("8-rate-limited") });
});
