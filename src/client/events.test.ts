/** The client's events stream against the real server, over the `ws` package (Node 20). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeWebSocket } from "../server/test-ws.js";
import { startTestServer, type TestServer } from "../server/testing.js";
import { App } from "./app.js";
import type { EventStreamStatus, HeedyEvent, WebSocketConstructor } from "./events.js";

let server: TestServer;
const WebSocket = NodeWebSocket as WebSocketConstructor;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const until = async (ok: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe("App.events()", () => {
  it("delivers the events a subscription selects and stops after unsubscribing", async () => {
    const app = new App(server.token, server.url);
    const self = await app.read();
    const statuses: EventStreamStatus[] = [];
    const stream = app.events({ WebSocket, onStatus: (s) => statuses.push(s) });
    const heard: HeedyEvent[] = [];
    const stop = stream.subscribe({ event: "*", app: self.id }, (e) => heard.push(e));
    await until(() => stream.status === "open");
    const ts = await app.objects.create("live", { tags: "a" });
    await ts.append(5);
    await until(() => heard.length >= 2);
    expect(heard.map((e) => e.event)).toEqual(["object_create", "timeseries_data_write"]);
    expect(heard[1]).toMatchObject({ object: ts.id, user: "test", app: self.id, data: { count: 1 } });
    stop();
    await ts.update({ name: "renamed" });
    await new Promise((r) => setTimeout(r, 200));
    expect(heard).toHaveLength(2);
    stream.close();
    expect(statuses).toEqual(["open", "closed"]);
  });

  it("says the socket is unavailable and keeps retrying when the server refuses it", async () => {
    const app = new App("not-a-token", server.url);
    const details: string[] = [];
    const stream = app.events({
      WebSocket,
      retryMs: 20,
      onStatus: (s, d) => details.push(`${s}${d ? `: ${d}` : ""}`),
    });
    await until(() => details.filter((d) => d.startsWith("unavailable")).length >= 2);
    stream.close();
    expect(details[0]).toMatch(/^unavailable/);
    expect(details).toContain("connecting");
  });

  it("is unavailable without a WebSocket constructor", () => {
    const app = new App(server.token, server.url);
    const saved = (globalThis as { WebSocket?: unknown }).WebSocket;
    (globalThis as { WebSocket?: unknown }).WebSocket = undefined;
    try {
      const stream = app.events();
      expect(stream.status).toBe("unavailable");
      stream.close();
    } finally {
      (globalThis as { WebSocket?: unknown }).WebSocket = saved;
    }
  });
});

describe("a refused subscription", () => {
  it("is dropped, and the stream reconnects with the others", async () => {
    const app = new App(server.token, server.url);
    const self = await app.read();
    const refused: string[] = [];
    const stream = app.events({ WebSocket, retryMs: 20, onRefused: (r) => refused.push(r) });
    const heard: HeedyEvent[] = [];
    stream.subscribe({ event: "*", app: self.id }, (e) => heard.push(e));
    await until(() => stream.status === "open");
    stream.subscribe({ event: "*", object: "no-such-object" }, (e) => heard.push(e));
    await until(() => refused.length === 1);
    expect(refused).toEqual(["Can't subscribe to the events of that object"]);
    await until(() => stream.status === "open");
    await app.objects.create("after the refusal");
    await until(() => heard.length === 1);
    expect(heard[0]?.event).toBe("object_create");
    stream.close();
  });
});
