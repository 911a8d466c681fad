/** /api/users and sessions (contract section 4, 2.4, decision 3) over HTTP. */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Clients,
  clientsFor,
  createApp,
  createUser,
  expectError,
  expectOk,
  type Http,
  login,
  type Res,
  today,
} from "../test-http.js";
import { startTestServer, type TestServer } from "../testing.js";

let server: TestServer;
let c: Clients;
/** `test` is the data folder's first user and therefore an admin. */
let admin: Http;
/** A plain user. */
let bob: Http;

beforeAll(async () => {
  server = await startTestServer();
  c = await clientsFor(server);
  await createUser(c, "bob", "bobpw");
  await createUser(c, "pub", "pw", { public_read: true, name: "Public Person" });
  await createUser(c, "members", "pw", { users_read: true });
  admin = await login(c, "test", "test");
  bob = await login(c, "bob", "bobpw");
});
afterAll(() => server.close());

const USER_NOT_FOUND = "User was not found";
const UNIMPLEMENTED = "The given functionality is currently unimplemented";

/** Decision 3 / 12.13: no response ever carries a password or its hash. */
function expectNoSecrets(res: Res): void {
  expect(res.text).not.toMatch(/password|scrypt|\$2[aby]\$/i);
}

describe("list", () => {
  it("admins and the plugin key list every user without passwords", async () => {
    for (const http of [admin, c.plugin]) {
      const res = await http.get("/api/users");
      expect(res.status).toBe(200);
      expectNoSecrets(res);
      const users = res.body as { username: string }[];
      expect(users.map((u) => u.username).sort()).toEqual(
        expect.arrayContaining(["bob", "members", "pub", "test"]),
      );
      expect(users.map((u) => u.username)).not.toEqual(expect.arrayContaining(["heedy"]));
      expect(users.find((u) => u.username === "pub")).toEqual({
        username: "pub",
        name: "Public Person",
        description: "",
        public_read: true,
        users_read: false,
      });
    }
    const withIcons = await c.plugin.get("/api/users?icon=true");
    expect((withIcons.body as { icon?: string }[]).every((u) => u.icon === "")).toBe(true);
  });

  it("everyone else gets heedy's unimplemented 400", async () => {
    for (const http of [bob, c.app, c.anon]) {
      expectError(await http.get("/api/users"), 400, "server_error", UNIMPLEMENTED);
    }
    expectError(await c.plugin.get("/api/users?bogus=1"), 400, "schema", 'invalid path "bogus"');
  });
});

describe("create", () => {
  it("admins and the plugin key create users, who can then log in", async () => {
    expectOk(
      await admin.post("/api/users", {
        username: "carol",
        password: "carolpw",
        name: " Carol ",
        users_read: true,
      }),
    );
    expectOk(await c.plugin.post("/api/users", { username: "dave", password: "davepw" }));
    const carol = await login(c, "carol", "carolpw");
    const me = await carol.get("/api/users/carol");
    expect(me.body).toEqual({
      username: "carol",
      name: "Carol",
      description: "",
      public_read: false,
      users_read: true,
    });
    expectNoSecrets(me);
  });

  it("validates name and icon like an update does", async () => {
    for (const name of ["a\nb", "tab\there", "  "]) {
      expectError(
        await c.plugin.post("/api/users", { username: "named", password: "x", name }),
        400,
        "bad_request",
        "Invalid name",
      );
    }
    expectError(
      await c.plugin.post("/api/users", { username: "named", password: "x", icon: "i".repeat(31) }),
      400,
      "bad_request",
      "icon name can't be more than 30 characters unless it is an image",
    );
    expectError(await c.plugin.get("/api/users/named"), 400, "not_found", USER_NOT_FOUND);
  });

  it("refuses non-admins with heedy's messages", async () => {
    const body = { username: "eve", password: "x" };
    expectError(
      await bob.post("/api/users", body),
      400,
      "access_denied",
      "You do not have sufficient permissions to create users",
    );
    expectError(await c.app.post("/api/users", body), 400, "access_denied", "A app cannot create a user");
    expectError(
      await c.anon.post("/api/users", body),
      400,
      "access_denied",
      "You must be logged in to create users",
    );
    expectError(
      await c.as("bob").post("/api/users", body),
      400,
      "access_denied",
      "You do not have sufficient permissions to create users",
    );
  });

  // heedy's database always holds the pseudo-users heedy, public and users (section 0), so
  // creating or renaming to one of them fails on the same UNIQUE constraint.
  it("refuses the reserved usernames heedy, public and users", async () => {
    for (const username of ["heedy", "public", "users"]) {
      expectError(
        await c.plugin.post("/api/users", { username, password: "x" }),
        400,
        "server_error",
        "UNIQUE constraint failed: users.username",
      );
      expectError(
        await bob.patch("/api/users/bob", { username }),
        400,
        "server_error",
        "UNIQUE constraint failed: users.username",
      );
    }
    expect((await bob.get("/api/users/bob")).status).toBe(200);
  });

  it("validates username and password; duplicates hit the UNIQUE constraint", async () => {
    expectError(await c.plugin.post("/api/users", { password: "x" }), 400, "bad_request", "Invalid Username");
    for (const username of ["1abc", "a b", "", "ab!", "_x"]) {
      expectError(
        await c.plugin.post("/api/users", { username, password: "x" }),
        400,
        "bad_request",
        "Invalid Username",
      );
    }
    expectError(
      await c.plugin.post("/api/users", { username: "nopw" }),
      400,
      "bad_request",
      "A user cannot have an empty password",
    );
    expectError(
      await c.plugin.post("/api/users", { username: "nopw", password: "" }),
      400,
      "bad_request",
      "A user cannot have an empty password",
    );
    expectError(
      await c.plugin.post("/api/users", { username: "bob", password: "x" }),
      400,
      "server_error",
      "UNIQUE constraint failed: users.username",
    );
    expectError(
      await c.plugin.post("/api/users", { username: "typed", password: 5 }),
      400,
      "json",
      "cannot unmarshal number into Go struct field User.password of type string",
    );
  });
});

describe("read", () => {
  it("answers exactly the five fields, icon on request, never a password", async () => {
    const res = await admin.get("/api/users/test");
    expect(res.body).toEqual({
      username: "test",
      name: "",
      description: "",
      public_read: false,
      users_read: false,
    });
    expectNoSecrets(res);
    const icon = await admin.get("/api/users/test?icon=true");
    expect(icon.body).toEqual({
      username: "test",
      name: "",
      description: "",
      public_read: false,
      users_read: false,
      icon: "",
    });
  });

  it("users read themselves, public_read and users_read users; admins read anyone", async () => {
    expect((await bob.get("/api/users/bob")).status).toBe(200);
    expect((await bob.get("/api/users/pub")).status).toBe(200);
    expect((await bob.get("/api/users/members")).status).toBe(200);
    expectError(await bob.get("/api/users/test"), 400, "not_found", USER_NOT_FOUND);
    expectError(await bob.get("/api/users/nobody"), 400, "not_found", USER_NOT_FOUND);
    const other = await admin.get("/api/users/bob");
    expect(other.status).toBe(200);
    expectNoSecrets(other);
    expectError(await admin.get("/api/users/nobody"), 400, "not_found", USER_NOT_FOUND);
  });

  it("public reads only public_read users", async () => {
    const res = await c.anon.get("/api/users/pub");
    expect(res.status).toBe(200);
    expectNoSecrets(res);
    expectError(await c.anon.get("/api/users/members"), 400, "not_found", USER_NOT_FOUND);
    expectError(await c.anon.get("/api/users/bob"), 400, "not_found", USER_NOT_FOUND);
  });

  it("there is no self alias (3.4)", async () => {
    expectError(await admin.get("/api/users/self"), 400, "not_found", USER_NOT_FOUND);
    expectError(await bob.get("/api/users/self"), 400, "not_found", USER_NOT_FOUND);
  });

  it("apps need owner:read for their owner, users:read for others", async () => {
    const none = await createApp(c, "bob", { scope: "" });
    expectError(
      await none.http.get("/api/users/bob"),
      400,
      "access_denied",
      "Insufficient access to read the given user",
    );
    const owner = await createApp(c, "bob", { scope: "owner:read" });
    expect((await owner.http.get("/api/users/bob")).body).toMatchObject({ username: "bob" });
    expectError(
      await owner.http.get("/api/users/pub"),
      400,
      "access_denied",
      "Insufficient access to read the given user",
    );
    const users = await createApp(c, "bob", { scope: "users:read" });
    expect((await users.http.get("/api/users/pub")).status).toBe(200);
    expect((await users.http.get("/api/users/bob")).status).toBe(200);
    const viaUsers = await users.http.get("/api/users/test");
    expect(viaUsers.status).toBe(400);
    const star = await createApp(c, "bob", { scope: "*" });
    const own = await star.http.get("/api/users/bob");
    expect(own.status).toBe(200);
    expectNoSecrets(own);
  });
});

describe("update", () => {
  it("a user updates itself; an empty update is nop", async () => {
    expectOk(await bob.patch("/api/users/bob", { name: "Bob", description: "about", icon: "person" }));
    expect((await bob.get("/api/users/bob?icon=true")).body).toEqual({
      username: "bob",
      name: "Bob",
      description: "about",
      public_read: false,
      users_read: false,
      icon: "person",
    });
    expectError(await bob.patch("/api/users/bob", {}), 400, "nop", "Nothing to update");
    expectError(await bob.patch("/api/users/bob"), 400, "nop", "Nothing to update");
  });

  it("refuses other users, for everyone but admins", async () => {
    expectError(
      await bob.patch("/api/users/test", { name: "x" }),
      400,
      "access_denied",
      "You cannot modify other users",
    );
    expectOk(await admin.patch("/api/users/bob", { description: "set by admin" }));
    expectError(
      await c.anon.patch("/api/users/bob", { name: "x" }),
      400,
      "access_denied",
      "You must be logged in to update users",
    );
  });

  it("refuses an empty password (decision 3) and changes a real one", async () => {
    expectError(
      await bob.patch("/api/users/bob", { password: "" }),
      400,
      "bad_request",
      "A user cannot have an empty password",
    );
    await createUser(c, "frank", "old");
    const frank = await login(c, "frank", "old");
    expectOk(await frank.patch("/api/users/frank", { password: "new" }));
    const wrong = await c.anon.req("POST", "/auth/token", {
      raw: "grant_type=password&username=frank&password=old",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(wrong.body).toEqual({ error: "access_denied", error_description: "Wrong username or password" });
    await login(c, "frank", "new");
  });

  it("validates names, icons and usernames", async () => {
    expectError(await bob.patch("/api/users/bob", { name: "a\nb" }), 400, "bad_request", "Invalid name");
    expectError(
      await bob.patch("/api/users/bob", { icon: "z".repeat(31) }),
      400,
      "bad_request",
      "icon name can't be more than 30 characters unless it is an image",
    );
    expectError(
      await bob.patch("/api/users/bob", { username: "9lives" }),
      400,
      "bad_request",
      "Invalid Username",
    );
    expectError(
      await bob.patch("/api/users/bob", { username: "test" }),
      400,
      "server_error",
      "UNIQUE constraint failed: users.username",
    );
  });

  it("apps need owner:update or users:update", async () => {
    const none = await createApp(c, "bob", { scope: "owner:read" });
    expectError(
      await none.http.patch("/api/users/bob", { name: "x" }),
      400,
      "access_denied",
      "Insufficient access to update the given user",
    );
    const upd = await createApp(c, "bob", { scope: "owner:update" });
    expectOk(await upd.http.patch("/api/users/bob", { name: "Robert" }));
    expect((await bob.get("/api/users/bob")).body).toMatchObject({ name: "Robert" });
    expectError(
      await upd.http.patch("/api/users/test", { name: "x" }),
      400,
      "access_denied",
      "Insufficient access to update the given user",
    );
  });

  it("renaming cascades to apps, objects and sessions", async () => {
    await createUser(c, "gina", "pw");
    const gina = await login(c, "gina", "pw");
    const app = await createApp(c, "gina", { scope: "*" });
    const obj = await app.http.post("/api/objects", { name: "o", type: "timeseries" });
    expectOk(await gina.patch("/api/users/gina", { username: "gina2" }));
    expect((await app.http.get("/api/apps/self")).body).toMatchObject({ owner: "gina2" });
    expect((await app.http.get(`/api/objects/${(obj.body as { id: string }).id}`)).body).toMatchObject({
      owner: "gina2",
    });
    expect((await gina.get("/api/users/gina2")).status).toBe(200);
    expectError(await c.plugin.get("/api/users/gina"), 400, "not_found", USER_NOT_FOUND);
  });
});

describe("delete", () => {
  it("refuses other users and apps without the scope", async () => {
    expectError(await bob.delete("/api/users/test"), 400, "access_denied", "You cannot delete other users");
    const app = await createApp(c, "bob", { scope: "owner:read owner:update" });
    expectError(
      await app.http.delete("/api/users/bob"),
      400,
      "access_denied",
      "Insufficient access to delete the given user",
    );
    expectError(
      await c.anon.delete("/api/users/bob"),
      400,
      "access_denied",
      "You must be logged in to delete users",
    );
  });

  it("a user deletes itself; its apps, objects and sessions go with it", async () => {
    await createUser(c, "hank", "pw");
    const hank = await login(c, "hank", "pw");
    const app = await createApp(c, "hank", { scope: "*" });
    expectOk(await hank.delete("/api/users/hank"));
    expectError(await c.plugin.get("/api/users/hank"), 400, "not_found", USER_NOT_FOUND);
    const gone = await app.http.get("/api/apps/self");
    expect({ status: gone.status, body: gone.body }).toEqual({
      status: 401,
      body: { error: "access_denied", error_description: "access_denied: invalid API key" },
    });
    // The session died with the user: the cookie now means public.
    expectError(await hank.get("/api/users/hank"), 400, "not_found", USER_NOT_FOUND);
  });

  it("an app with owner:delete deletes its owner; the plugin key deletes anyone", async () => {
    await createUser(c, "ivy", "pw");
    const app = await createApp(c, "ivy", { scope: "owner:delete" });
    expectOk(await app.http.delete("/api/users/ivy"));
    await createUser(c, "jack", "pw");
    expectOk(await c.plugin.delete("/api/users/jack"));
    expectError(await c.plugin.delete("/api/users/jack"), 400, "not_found", USER_NOT_FOUND);
  });
});

describe("secrets never leave the server (decision 3, decision 4)", () => {
  it("no read answers a password, a password hash, a token or a token hash", async () => {
    const tokenHash = createHash("sha256").update(server.token).digest("hex");
    const sessionLogin = await c.anon.req("POST", "/auth/token", {
      raw: "grant_type=password&username=test&password=test",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    const session = (sessionLogin.body as { access_token: string }).access_token;
    const sessionHash = createHash("sha256").update(session).digest("hex");
    const reads: [Http, string][] = [
      [c.plugin, "/api/users?icon=true"],
      [admin, "/api/users"],
      [admin, "/api/users/test?icon=true"],
      [admin, "/api/users/bob"],
      [c.anon, "/api/users/pub"],
      [c.app, "/api/users/test"],
      [admin, "/api/users/test/sessions"],
      [admin, "/api/apps?token=true&icon=true"],
      [c.plugin, "/api/apps?token=true"],
      [c.app, "/api/apps/self?token=true"],
      [c.app, "/api/objects"],
    ];
    for (const [http, path] of reads) {
      const res = await http.get(path);
      expect(res.status, `${path}: ${res.text}`).toBe(200);
      expectNoSecrets(res);
      for (const secret of [server.token, tokenHash, session, sessionHash])
        expect(res.text).not.toContain(secret);
    }
  });
});

describe("sessions", () => {
  it("lists the user's own sessions with the user agent as description", async () => {
    await createUser(c, "kim", "pw");
    const res = await c.anon.req("POST", "/auth/token", {
      raw: "grant_type=password&username=kim&password=pw",
      headers: { "content-type": "application/x-www-form-urlencoded", "user-agent": "TestAgent/1.0" },
    });
    const token = (res.body as { access_token: string }).access_token;
    const kim = c.anon.with({ cookie: `token=${token}` });
    const list = await kim.get("/api/users/kim/sessions");
    expect(list.body).toEqual([
      {
        sessionid: expect.stringMatching(/^.{12}$/),
        description: "TestAgent/1.0",
        last_access_date: today(),
        created_date: today(),
        // Our additive field: this very session.
        current: true,
      },
    ]);
    expect(list.text).not.toContain(token);
  });

  it("refuses other users' sessions and non-users", async () => {
    expectError(
      await bob.get("/api/users/test/sessions"),
      400,
      "access_denied",
      "Cannot read other users' sessions.",
    );
    expectError(
      await c.app.get("/api/users/test/sessions"),
      400,
      "access_denied",
      "Cannot read other users' sessions.",
    );
    expectError(
      await c.anon.get("/api/users/test/sessions"),
      400,
      "access_denied",
      "Cannot read other users' sessions.",
    );
    const mine = (await admin.get("/api/users/test/sessions")).body as { sessionid: string }[];
    expect(mine.length).toBeGreaterThan(0);
    expectError(
      await bob.delete(`/api/users/test/sessions/${mine[0]!.sessionid}`),
      400,
      "access_denied",
      "Cannot delete other users' sessions.",
    );
    expectError(
      await bob.delete(`/api/users/bob/sessions/${mine[0]!.sessionid}`),
      400,
      "not_found",
      "The selected resource was not found",
    );
  });

  it("deleting a session logs that cookie out", async () => {
    await createUser(c, "lee", "pw");
    const first = await login(c, "lee", "pw", "first-browser");
    const second = await login(c, "lee", "pw", "second-browser");
    const list = (await first.get("/api/users/lee/sessions")).body as {
      sessionid: string;
      description: string;
    }[];
    expect(list.map((s) => s.description).sort()).toEqual(["first-browser", "second-browser"]);
    const victim = list.find((s) => s.description === "second-browser")!;
    expectOk(await first.delete(`/api/users/lee/sessions/${victim.sessionid}`));
    const after = await second.get("/api/users/lee");
    // The dead cookie makes the request public and the server clears it (2.1 step 6).
    expectError(after, 400, "not_found", USER_NOT_FOUND);
    expect(after.headers.get("set-cookie")).toMatch(/^token=; Path=\/; Max-Age=0/);
    expect((await first.get("/api/users/lee")).status).toBe(200);
    expectError(
      await first.delete(`/api/users/lee/sessions/${victim.sessionid}`),
      400,
      "not_found",
      "The selected resource was not found",
    );
  });
});

describe("renaming an admin", () => {
  it("keeps the admin rights with the new name, in memory and in the data folder's heedy.json", async () => {
    await createUser(c, "boss", "bosspw");
    // Make boss an admin the way heedy.json would have.
    (server.ctx.adminUsers as Set<string>).add("boss");
    const boss = await login(c, "boss", "bosspw");
    expectOk(await boss.patch("/api/users/boss", { username: "chief" }));
    expect(server.ctx.adminUsers.has("chief")).toBe(true);
    expect(server.ctx.adminUsers.has("boss")).toBe(false);
    const config = JSON.parse(readFileSync(`${server.dataDir}/heedy.json`, "utf8")) as {
      admin_users: string[];
    };
    expect(config.admin_users).toContain("chief");
    expect(config.admin_users).not.toContain("boss");
    // The renamed admin still lists users, an admin-only read.
    expect((await boss.get("/api/users")).status).toBe(200);
  });
});

describe("a deleted admin's name", () => {
  it("leaves heedy.json (kept owner-only), so whoever takes the name later is no admin", async () => {
    // Its own server: the data folder's only admin deletes itself.
    const own = await startTestServer();
    try {
      const oc = await clientsFor(own);
      const adminsOnDisk = () =>
        (JSON.parse(readFileSync(`${own.dataDir}/heedy.json`, "utf8")) as { admin_users: string[] })
          .admin_users;
      expect(adminsOnDisk()).toEqual(["test"]);
      await createUser(oc, "mallory", "pw");
      const first = await login(oc, "test", "test");
      expectOk(await first.delete("/api/users/test"));
      expect(own.ctx.adminUsers.has("test")).toBe(false);
      expect(adminsOnDisk()).toEqual([]);
      expect(statSync(`${own.dataDir}/heedy.json`).mode & 0o777).toBe(0o600);
      const mallory = await login(oc, "mallory", "pw");
      expectOk(await mallory.patch("/api/users/mallory", { username: "test" }));
      expectError(await mallory.get("/api/users"), 400, "server_error", UNIMPLEMENTED);
      expect((await oc.plugin.get("/api/users/test")).status).toBe(200);
    } finally {
      await own.close();
    }
  });

  it("cannot be taken by renaming while an entry for it is left in the configuration", async () => {
    await createUser(c, "mallory", "pw");
    const mallory = await login(c, "mallory", "pw");
    // An entry left behind: a hand edit, or a folder from before deletes cleaned up.
    (server.ctx.adminUsers as Set<string>).add("formeradmin");
    expectError(
      await mallory.patch("/api/users/mallory", { username: "formeradmin" }),
      400,
      "access_denied",
      "That username is reserved for an admin in the server's configuration",
    );
    expectError(await mallory.get("/api/users"), 400, "server_error", UNIMPLEMENTED);
    expectError(await c.plugin.get("/api/users/formeradmin"), 400, "not_found", USER_NOT_FOUND);
  });
});
