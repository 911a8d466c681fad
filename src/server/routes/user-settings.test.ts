/** Per-user plugin settings (contract section 4) over HTTP. */
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
let test: Http;
let bob: Http;

beforeAll(async () => {
  server = await startTestServer();
  c = await clientsFor(server);
  await createUser(c, "bob", "bobpw");
  test = await login(c, "test", "test");
  bob = await login(c, "bob", "bobpw");
});
afterAll(() => server.close());

describe("user settings", () => {
  it("answers every plugin's settings with the schema defaults filled in", async () => {
    const res = await test.get("/api/users/test/settings");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ heedy: {}, timeseries: { visualizations: [] } });
    const one = await test.get("/api/users/test/settings/timeseries");
    expect(one.body).toEqual({ visualizations: [] });
  });

  it("PATCH sets keys, null deletes them (back to the default), and values are validated", async () => {
    expectOk(await test.patch("/api/users/test/settings/timeseries", { visualizations: [{ name: "v" }] }));
    expect((await test.get("/api/users/test/settings/timeseries")).body).toEqual({
      visualizations: [{ name: "v" }],
    });
    expectError(
      await test.patch("/api/users/test/settings/timeseries", { visualizations: 3 }),
      400,
      "visualizations",
      "Invalid type. Expected: array, given: integer",
    );
    expectError(
      await test.patch("/api/users/test/settings/timeseries", { other: 1 }),
      400,
      "(root)",
      "Additional property other is not allowed",
    );
    expectOk(await test.patch("/api/users/test/settings/timeseries", { visualizations: null }));
    expect((await test.get("/api/users/test/settings/timeseries")).body).toEqual({ visualizations: [] });
    // Settings are per user.
    expect((await bob.get("/api/users/bob/settings/timeseries")).body).toEqual({ visualizations: [] });
  });

  it("refuses unknown plugins, other users, apps and the public as section 4 says", async () => {
    expectError(await test.get("/api/users/test/settings/nope"), 400, "server_error", "Unrecognized plugin");
    expectError(
      await bob.get("/api/users/test/settings"),
      400,
      "access_denied",
      "Cannot read other users' settings.",
    );
    expectError(
      await bob.patch("/api/users/test/settings/timeseries", { visualizations: [] }),
      400,
      "access_denied",
      "Cannot modify other users' settings.",
    );
    expectError(
      await c.app.get("/api/users/test/settings"),
      400,
      "server_error",
      "The given functionality is currently unimplemented",
    );
    expectError(
      await c.anon.get("/api/users/test/settings"),
      400,
      "access_denied",
      "You must be logged in to read settings",
    );
    expect((await c.plugin.get("/api/users/bob/settings")).status).toBe(200);
  });

  it("settings_schema lists each plugin's schema for users, and is 403 for apps and the public", async () => {
    const res = await test.get("/api/users/test/settings_schema");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      timeseries: { type: "object", properties: { visualizations: { type: "array", default: [] } } },
    });
    for (const http of [c.app, c.anon]) {
      expectError(
        await http.get("/api/users/test/settings_schema"),
        403,
        "access_denied",
        "Only logged in users can read preference schemas",
      );
    }
  });
});

describe("/frontend_context", () => {
  it("tells a logged-in user who they are, and answers null users for others", async () => {
    const res = await test.get("/frontend_context");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      user: { username: "test", icon: "" },
      admin: true,
      plugins: [],
      settings: { timeseries: {} },
    });
    expect(JSON.stringify(res.body)).not.toMatch(/password/);
    expect((await bob.get("/frontend_context")).body).toMatchObject({
      user: { username: "bob" },
      admin: false,
    });
    expect((await c.anon.get("/frontend_context")).body).toMatchObject({
      user: null,
      settings: null,
      admin: false,
    });
  });
});
