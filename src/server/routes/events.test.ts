/**
 * `/api/events` spoken as heedy's clients speak it (contract 10): subscribe, unsubscribe, ping,
 * the access rules for users and apps, a refused subscription closing with 1011, the bounds.
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

async function socket(headers: Record<string, string> = {}, query = ""): Promise<TestSocket> {
  const s = await TestSocket.open(server.url, headers, query);
  open.push(s);
  return s;
}

beforeAll(async () => {
  server = await startTestServer({
    limits: { event_sockets: 3, event_subscriptions: 4, event_message_bytes: 1024, event_ping_idle_ms: 200 },
  });
  c = await clientsFor(server);
  await createUser(c, "other", "other-pw");
});
afterAll(async () => {
  for (const s of open) s.close();
  await server?.close();
});

describe("GET /api/events", () => {
  it("answers ping with pong", async () => {
    const s = await socket(bearer(server.token));
    s.send({ cmd: "ping" });
    await s.until(() => s.messages.length > 0);
    expect(s.messages).toEqual([{ event: "pong" }]);
    s.close();
  });

  it("delivers object and timeseries events to an app subscribed to an object", async () => {
    const obj = await createObject(c.app, { name: "steps", tags: "fit walk" });
    const s = await socket(bearer(server.token));
    s.send({ cmd: "subscribe", event: "*", object: obj.id });
    await s.sync();
    expect(
      (
        await c.app.post(`/api/objects/${obj.id}/timeseries`, [
          { t: 10, d: 1 },
          { t: 20, dt: 5, d: 2 },
        ])
      ).status,
    ).toBe(200);
    expect((await c.app.patch(`/api/objects/${obj.id}`, { name: "steps 2" })).status).toBe(200);
    expect((await c.app.delete(`/api/objects/${obj.id}/timeseries?t1=10&t2=10`)).status).toBe(200);
    expect((await c.app.delete(`/api/objects/${obj.id}`)).status).toBe(200);
    await s.until(() => s.events().length >= 4);
    const base = { user: "test", app: c.appId, object: obj.id, type: "timeseries", tags: "fit walk" };
    expect(s.events()).toEqual([
      { event: "timeseries_data_write", ...base, data: { t1: 10, t2: 25, count: 2 } },
      { event: "object_update", ...base },
      { event: "timeseries_data_delete", ...base, data: { t1: 10, t2: 10 } },
      { event: "object_delete", ...base },
    ]);
    s.close();
  });

  it("filters by event name and tags, and stops after unsubscribe", async () => {
    const s = await socket({}, `?access_token=${server.token}`);
    s.send({ cmd: "subscribe", event: "object_create", app: c.appId, tags: "walk" });
    await s.sync();
    await createObject(c.app, { name: "not tagged" });
    const tagged = await createObject(c.app, { name: "tagged", tags: "walk run" });
    await s.until(() => s.events().length >= 1);
    s.send({ cmd: "unsubscribe", event: "object_create", app: c.appId, tags: "walk" });
    await s.sync();
    await createObject(c.app, { name: "after", tags: "walk" });
    await s.sync();
    expect(s.events().map((e) => e.object)).toEqual([tagged.id]);
    s.close();
  });

  it("lets a user follow their own events through the session cookie", async () => {
    const http = await login(c, "other", "other-pw");
    const s = await socket(http.defaults);
    s.send({ cmd: "subscribe", event: "*", user: "other" });
    await s.sync();
    const obj = await createObject(c.as("other"), { name: "mine" });
    expect(
      (await c.as("other").patch("/api/users/other/settings/timeseries", { visualizations: [] })).status,
    ).toBe(200);
    await s.until(() => s.events().length >= 2);
    expect(s.events()).toEqual([
      { event: "object_create", user: "other", object: obj.id, type: "timeseries" },
      { event: "user_settings_update", user: "other", plugin: "timeseries" },
    ]);
    s.close();
  });

  it("refuses a cookie socket opened from another site's page", async () => {
    const http = await login(c, "other", "other-pw");
    await expect(socket({ ...http.defaults, origin: "https://evil.example" })).rejects.toThrow("HTTP 403");
  });

  it.each([
    ["another user", { event: "*", user: "other" }, "Can't subscribe to another user's events"],
    ["no target", { event: "*" }, "A subscription must target a user, app or object"],
    ["an unreadable object", { event: "*", object: "nope" }, "Can't subscribe to the events of that object"],
    ["a bad field", { event: 5, user: "test" }, "Subscription fields must be strings"],
    ["an unknown command", { cmd: "dance" }, 'Unrecognized command "dance"'],
  ])("closes with 1011 on %s", async (_name, cmd, reason) => {
    const s = await socket(bearer(server.token));
    s.send("cmd" in cmd ? cmd : { cmd: "subscribe", ...cmd });
    await s.until(() => s.closed !== undefined);
    expect(s.closed).toEqual({ code: 1011, reason });
  });

  it("refuses an app subscribing to another app, and a user to someone else's object", async () => {
    const mine = await createApp(c, "other", { name: "Other's", scope: "*" });
    const obj = await createObject(mine.http, { name: "other's series" });
    const app = await socket(bearer(server.token));
    app.send({ cmd: "subscribe", event: "*", app: mine.id });
    await app.until(() => app.closed !== undefined);
    expect(app.closed).toEqual({ code: 1011, reason: "Can't subscribe to the events of that app" });
    const user = await socket(bearer(server.token));
    user.send({ cmd: "subscribe", event: "*", object: obj.id });
    await user.until(() => user.closed !== undefined);
    expect(user.closed?.code).toBe(1011);
  });

  it("needs valid credentials", async () => {
    await expect(socket(bearer("wrong"))).rejects.toThrow("HTTP 401");
    const plain = await c.app.get("/api/events");
    expect(plain.status).toBe(400);
    expect(plain.body).toMatchObject({ error: "bad_request" });
  });

  it("caps sockets per actor, subscriptions per socket and the size of a command", async () => {
    const user = await login(c, "other", "other-pw");
    const held = [await socket(user.defaults), await socket(user.defaults), await socket(user.defaults)];
    await expect(socket(user.defaults)).rejects.toThrow("HTTP 429");
    held[0]!.close();
    await held[0]!.until(() => held[0]!.closed !== undefined);
    await new Promise((r) => setTimeout(r, 50));
    const again = await socket(user.defaults);
    for (const event of ["a", "b", "c", "d", "e"]) again.send({ cmd: "subscribe", event, user: "other" });
    await again.until(() => again.closed !== undefined);
    expect(again.closed).toEqual({ code: 1011, reason: "At most 4 subscriptions per socket" });
    const big = held[1]!;
    big.send({ cmd: "ping", pad: "x".repeat(2000) });
    await big.until(() => big.closed !== undefined);
    expect(big.closed?.code).toBe(1009);
  });

  it("pings after a silence", async () => {
    const s = await socket(bearer(server.token));
    await s.until(() => s.pings > 0, 2000);
    expect(s.pings).toBeGreaterThan(0);
  });

  it("closes an app's socket when the app is disabled", async () => {
    const app = await createApp(c, "test", { name: "Short-lived", scope: "*" });
    const s = await socket(bearer(app.token));
    s.send({ cmd: "subscribe", event: "*", app: app.id });
    await s.sync();
    expect((await c.as("test").patch(`/api/apps/${app.id}`, { enabled: false })).status).toBe(200);
    await s.until(() => s.closed !== undefined);
    expect(s.closed?.code).toBe(1008);
  });

  it("closes a session's socket once the session expires, with no request to notice it", async () => {
    await createUser(c, "expiring", "pw");
    const http = await login(c, "expiring", "pw");
    const s = await socket(http.defaults);
    s.send({ cmd: "subscribe", event: "*", user: "expiring" });
    await s.sync();
    const [session] = await server.ctx.store.sessions.list("expiring");
    // Last used longer ago than the idle limit (14 days): the periodic recheck ends it.
    await server.ctx.store.sessions.touch(session!.sessionid, Date.now() - 15 * 24 * 3600 * 1000);
    await s.until(() => s.closed !== undefined, 2000);
    expect(s.closed?.code).toBe(1008);
  });
});
