/**
 * What keeps an events socket honest after it opened: it closes (1008) when the credentials it
 * was opened with end (logout, a deleted session, a password change, a deleted user, an app's
 * token reset or deletion), and what an app may subscribe to, as heedy decides it (contract 10).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bearer,
  type Clients,
  clientsFor,
  createApp,
  createObject,
  createUser,
  login,
} from "../test-http.js";
import { TestSocket } from "../test-ws.js";
import { startTestServer, type TestServer } from "../testing.js";

let server: TestServer;
let c: Clients;
const open: TestSocket[] = [];

async function socket(headers: Record<string, string>): Promise<TestSocket> {
  const s = await TestSocket.open(server.url, headers);
  open.push(s);
  return s;
}

/** A socket subscribed to `cmd`, the subscription confirmed. */
async function following(headers: Record<string, string>, cmd: Record<string, string>): Promise<TestSocket> {
  const s = await socket(headers);
  s.send({ cmd: "subscribe", event: "*", ...cmd });
  await s.sync();
  return s;
}

async function closedWith(s: TestSocket): Promise<number | undefined> {
  await s.until(() => s.closed !== undefined);
  return s.closed?.code;
}

/** Still open and answering: a ping gets its pong. */
async function stillOpen(s: TestSocket): Promise<boolean> {
  await s.sync();
  return s.closed === undefined;
}

beforeAll(async () => {
  server = await startTestServer();
  c = await clientsFor(server);
});
afterAll(async () => {
  for (const s of open) s.close();
  await server?.close();
});

describe("an events socket whose credentials end", () => {
  it("closes on logout, and the user's other sessions keep theirs", async () => {
    await createUser(c, "leaver", "pw");
    const [one, two] = [await login(c, "leaver", "pw"), await login(c, "leaver", "pw")];
    const s1 = await following(one.defaults, { user: "leaver" });
    const s2 = await following(two.defaults, { user: "leaver" });
    expect((await one.req("POST", "/auth/logout")).status).toBe(200);
    expect(await closedWith(s1)).toBe(1008);
    expect(s1.closed?.reason).toBe("the credentials of this socket were revoked");
    expect(await stillOpen(s2)).toBe(true);
  });

  it("closes when its session is deleted from the sessions list", async () => {
    await createUser(c, "lister", "pw");
    const [here, there] = [await login(c, "lister", "pw"), await login(c, "lister", "pw", "other")];
    const s = await following(there.defaults, { user: "lister" });
    const sessions = (await here.get("/api/users/lister/sessions")).body as {
      sessionid: string;
      current: boolean;
    }[];
    const other = sessions.find((x) => !x.current);
    expect(other).toBeDefined();
    expect((await here.delete(`/api/users/lister/sessions/${other!.sessionid}`)).status).toBe(200);
    expect(await closedWith(s)).toBe(1008);
  });

  it("closes the other sessions' sockets on a password change, keeping the changer's", async () => {
    await createUser(c, "changer", "pw");
    const [here, there] = [await login(c, "changer", "pw"), await login(c, "changer", "pw")];
    const mine = await following(here.defaults, { user: "changer" });
    const theirs = await following(there.defaults, { user: "changer" });
    expect((await here.patch("/api/users/changer", { password: "new-pw" })).status).toBe(200);
    expect(await closedWith(theirs)).toBe(1008);
    expect(await stillOpen(mine)).toBe(true);
    // The changer's socket heard the change, as any subscriber would.
    expect(mine.events()).toContainEqual({ event: "user_update", user: "changer" });
  });

  it("closes a deleted user's sockets, their apps' too", async () => {
    await createUser(c, "gone", "pw");
    const app = await createApp(c, "gone", { name: "Gone's", scope: "*" });
    const user = await following((await login(c, "gone", "pw")).defaults, { user: "gone" });
    const appSocket = await following(bearer(app.token), { app: app.id });
    expect((await c.plugin.delete("/api/users/gone")).status).toBe(200);
    expect(await closedWith(user)).toBe(1008);
    expect(await closedWith(appSocket)).toBe(1008);
  });

  it("closes an app's socket when its token is reset or the app deleted", async () => {
    const reset = await createApp(c, "test", { name: "Reset", scope: "*" });
    const s1 = await following(bearer(reset.token), { app: reset.id });
    expect((await c.as("test").patch(`/api/apps/${reset.id}`, { access_token: "new" })).status).toBe(200);
    expect(await closedWith(s1)).toBe(1008);

    const deleted = await createApp(c, "test", { name: "Deleted", scope: "*" });
    const s2 = await following(bearer(deleted.token), { app: deleted.id });
    expect((await c.as("test").delete(`/api/apps/${deleted.id}`)).status).toBe(200);
    expect(await closedWith(s2)).toBe(1008);
  });

  it("closes an app's socket when its scope changes, so it must subscribe again", async () => {
    const app = await createApp(c, "test", { name: "Narrowed", scope: "*" });
    const s = await following(bearer(app.token), { app: app.id });
    expect((await c.as("test").patch(`/api/apps/${app.id}`, { scope: "self.objects" })).status).toBe(200);
    expect(await closedWith(s)).toBe(1008);
  });

  it("closes an app's socket when its owner is renamed, leaving no stale owner name behind", async () => {
    await createUser(c, "renamer", "pw");
    const app = await createApp(c, "renamer", { name: "Owned", scope: "*" });
    const s = await following(bearer(app.token), { app: app.id });
    expect((await c.plugin.patch("/api/users/renamer", { username: "renamed" })).status).toBe(200);
    expect(await closedWith(s)).toBe(1008);
    // Reopened, it is the renamed owner's app.
    const again = await following(bearer(app.token), { app: app.id });
    expect(await stillOpen(again)).toBe(true);
  });

  it("leaves sockets alone on changes that keep the credentials", async () => {
    const app = await createApp(c, "test", { name: "Renamed", scope: "*" });
    const s = await following(bearer(app.token), { app: app.id });
    expect((await c.as("test").patch(`/api/apps/${app.id}`, { description: "new words" })).status).toBe(200);
    await s.until(() => s.events().length > 0);
    expect(await stillOpen(s)).toBe(true);
  });
});

describe("what an app may subscribe to", () => {
  async function refusal(
    token: string,
    cmd: Record<string, string>,
  ): Promise<{ code: number; reason: string }> {
    const s = await socket(bearer(token));
    s.send({ cmd: "subscribe", event: "*", ...cmd });
    await s.until(() => s.closed !== undefined);
    return s.closed!;
  }

  it("hears its own objects through its app id and by object", async () => {
    const app = await createApp(c, "test", { name: "Own", scope: "self.objects" });
    const obj = await createObject(app.http, { name: "own series" });
    const byApp = await following(bearer(app.token), { app: app.id });
    const byObject = await following(bearer(app.token), { object: obj.id as string });
    expect((await app.http.post(`/api/objects/${obj.id}/timeseries`, [{ t: 1, d: 1 }])).status).toBe(200);
    for (const s of [byApp, byObject]) {
      await s.until(() => s.events().length > 0);
      expect(s.events()[0]).toMatchObject({ event: "timeseries_data_write", object: obj.id, app: app.id });
    }
  });

  it("hears the owner's other objects only when its scope reads them", async () => {
    const owners = await createObject(c.as("test"), { name: "owner's series" });
    const reader = await createApp(c, "test", { name: "Reader", scope: "objects:read" });
    const s = await following(bearer(reader.token), { object: owners.id as string });
    expect((await c.as("test").post(`/api/objects/${owners.id}/timeseries`, [{ t: 1, d: 1 }])).status).toBe(
      200,
    );
    await s.until(() => s.events().length > 0);
    expect(s.events()[0]).toMatchObject({ event: "timeseries_data_write", object: owners.id });

    const blind = await createApp(c, "test", { name: "Blind", scope: "self.objects" });
    expect(await refusal(blind.token, { object: owners.id as string })).toEqual({
      code: 1011,
      reason: "Can't subscribe to the events of that object",
    });
  });

  it("never hears user events, not even its owner's", async () => {
    const app = await createApp(c, "test", { name: "Nosy", scope: "*" });
    expect(await refusal(app.token, { user: "test" })).toEqual({
      code: 1011,
      reason: "An app can't subscribe to user events",
    });
    expect(await refusal(app.token, { user: "test", object: "*" })).toEqual({
      code: 1011,
      reason: "An app can't subscribe to user events",
    });
  });
});
