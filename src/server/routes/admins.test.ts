/** The `users.admins` extension: admins grant and revoke admin rights, saved in heedy.json. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Clients,
  clientsFor,
  createUser,
  expectError,
  expectOk,
  type Http,
  login,
} from "../test-http.js";
import { startTestServer, type TestServer } from "../testing.js";

let server: TestServer;
let c: Clients;
let admin: Http;

beforeAll(async () => {
  server = await startTestServer();
  c = await clientsFor(server);
  admin = await login(c, "test", "test");
});
afterAll(() => server.close());

const savedAdmins = () =>
  (JSON.parse(readFileSync(join(server.dataDir, "heedy.json"), "utf8")) as { admin_users: string[] })
    .admin_users;

describe("users.admins", () => {
  it("an admin lists, grants and revokes; heedy.json follows", async () => {
    await createUser(c, "ada", "pw");
    expect((await admin.get("/api/server/admins")).body).toEqual(["test"]);
    expectOk(await admin.req("PUT", "/api/server/admins/ada"));
    expect((await admin.get("/api/server/admins")).body).toEqual(["ada", "test"]);
    expect(savedAdmins().sort()).toEqual(["ada", "test"]);
    // The new admin has admin rights at once: listing users is admin-only.
    const ada = await login(c, "ada", "pw");
    expect((await ada.get("/api/users")).status).toBe(200);
    expectOk(await admin.delete("/api/server/admins/ada"));
    expect(savedAdmins()).toEqual(["test"]);
    expect((await ada.get("/api/users")).status).toBe(400);
  });

  it("refuses non-admins, apps, unknown users and revoking the last admin", async () => {
    await createUser(c, "bob", "pw");
    const bob = await login(c, "bob", "pw");
    expectError(await bob.get("/api/server/admins"), 400, "access_denied", "Only admins can manage admins");
    expectError(
      await bob.req("PUT", "/api/server/admins/bob"),
      400,
      "access_denied",
      "Only admins can manage admins",
    );
    expectError(await c.app.get("/api/server/admins"), 400, "access_denied", "Only admins can manage admins");
    expectError(await admin.req("PUT", "/api/server/admins/nobody"), 400, "not_found", "User was not found");
    expectError(await admin.delete("/api/server/admins/bob"), 400, "not_found", "User is not an admin");
    expectError(
      await admin.delete("/api/server/admins/test"),
      400,
      "bad_request",
      "The last admin cannot be revoked",
    );
    expect(savedAdmins()).toEqual(["test"]);
  });

  it("a cross-site page cannot grant admin with the admin's cookie", async () => {
    await createUser(c, "eve", "pw");
    const res = await admin.req("PUT", "/api/server/admins/eve", {
      headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    });
    expect(res.status).toBe(403);
    expect((await admin.get("/api/server/admins")).body).toEqual(["test"]);
  });
});

describe("sessions list", () => {
  it("marks the session making the request as current", async () => {
    await createUser(c, "cur", "pw");
    const here = await login(c, "cur", "pw", "here");
    await login(c, "cur", "pw", "there");
    const list = (await here.get("/api/users/cur/sessions")).body as {
      description: string;
      current: boolean;
    }[];
    expect(list.map((s) => [s.description, s.current]).sort()).toEqual([
      ["here", true],
      ["there", false],
    ]);
  });
});

describe("password change with old_password", () => {
  it("refuses a wrong current password and accepts the right one", async () => {
    await createUser(c, "olga", "first");
    const olga = await login(c, "olga", "first");
    expectError(
      await olga.patch("/api/users/olga", { password: "second", old_password: "wrong" }),
      400,
      "access_denied",
      "The current password is wrong",
    );
    expectOk(await olga.patch("/api/users/olga", { password: "second", old_password: "first" }));
    const res = await c.anon.req("POST", "/auth/token", {
      raw: new URLSearchParams({ grant_type: "password", username: "olga", password: "first" }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(400);
  });
});
