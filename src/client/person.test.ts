/** A person signed in with a password, through the client, against the real server. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../server/testing.js";
import { App } from "./app.js";
import { HeedyError } from "./errors.js";
import { Person } from "./person.js";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe("Person", () => {
  it("signs in, creates an app with a scope, and that app's token is limited to it", async () => {
    const me = await Person.signIn("test", "test", server.url);
    const context = await me.context();
    expect(context.user?.username).toBe("test");
    expect(context.admin).toBe(true);

    const logger = await me.apps.create({ name: "Phone logger", scope: "self.objects" });
    expect(logger.scope).toBe("self.objects");
    expect(logger.access_token).toMatch(/.{20,}/);
    const phone = new App(logger.access_token, server.url);
    const series = await phone.objects.create("steps");
    expect(await series.append(5)).toEqual({ result: "ok" });

    // The person sees the app's object with all their others.
    const all = await me.objects();
    expect(all.map((o) => o.name)).toContain("steps");
    expect(all.find((o) => o.name === "steps")?.app).toBe(logger.id);

    // Apps: update, reset the token (the old one stops working), delete.
    expect(await me.apps.update(logger.id, { description: "on my phone", enabled: true })).toEqual({
      result: "ok",
    });
    expect((await me.apps.get(logger.id)).description).toBe("on my phone");
    const fresh = await me.apps.resetToken(logger.id);
    await expect(phone.read()).rejects.toMatchObject({ status: 401 });
    expect((await new App(fresh, server.url).read()).id).toBe(logger.id);
    expect((await me.apps.list()).map((a) => a.name)).toContain("Phone logger");
    expect(await me.apps.delete(logger.id)).toEqual({ result: "ok" });
    expect((await me.objects()).map((o) => o.name)).not.toContain("steps");
  });

  it("manages users, admins and sessions, and signs out", async () => {
    const admin = await Person.signIn("test", "test", server.url);
    const created = await admin.users.create({ username: "carol", password: "pw1" });
    expect((await admin.users.list()).map((u) => u.username)).toContain("carol");
    expect(await admin.admins.list()).toEqual(["test"]);
    expect(await admin.admins.grant("carol")).toEqual({ result: "ok" });
    expect(await admin.admins.list()).toEqual(["carol", "test"]);
    expect(await admin.admins.revoke("carol")).toEqual({ result: "ok" });

    const laptop = await Person.signIn("carol", "pw1", server.url, { headers: { "User-Agent": "laptop" } });
    const phone = await Person.signIn("carol", "pw1", server.url, { headers: { "User-Agent": "phone" } });
    const carol = (await laptop.me())!;
    const sessions = await carol.sessions();
    expect(sessions.map((s) => [s.description, s.current]).sort()).toEqual([
      ["laptop", true],
      ["phone", false],
    ]);
    const phoneSession = sessions.find((s) => s.description === "phone")!;
    expect(await carol.endSession(phoneSession.sessionid)).toEqual({ result: "ok" });
    expect((await phone.context()).user).toBeNull();

    // A password change needs nothing else here; the old password stops working.
    expect(await carol.update({ password: "pw2" })).toEqual({ result: "ok" });
    await expect(Person.signIn("carol", "pw1", server.url)).rejects.toMatchObject({ error: "access_denied" });
    expect(await laptop.signOut()).toEqual({ result: "ok" });
    expect((await laptop.context()).user).toBeNull();

    expect(await created.delete()).toEqual({ result: "ok" });
    expect((await admin.users.list()).map((u) => u.username)).not.toContain("carol");
  });

  it("reports a wrong password as a HeedyError", async () => {
    const err = await Person.signIn("test", "nope", server.url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HeedyError);
    expect(String(err)).toBe("access_denied: Wrong username or password");
  });
});
