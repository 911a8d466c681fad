// @vitest-environment jsdom
/**
 * The page's first script sends a shared link's first reads; the app's client of the same server
 * then takes those answers instead of asking again. Against the real server, behind a proxy that
 * counts what reaches it: each read goes out once, with the credentials the app would use, and
 * the app's own code (the client, the plot query) asks for exactly the URLs the boot script sent.
 */
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { QueryClient } from "@tanstack/react-query";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { App, type HeedyObject, Person, type Timeseries } from "../../../client/index";
import { startTestServer, type TestServer } from "../../../server/testing";
import {
  EARLY_READS_GLOBAL,
  earlyNow,
  pageClientOptions,
  resetEarlyReads,
} from "../../shared/api/early-reads";
import { seedPageCapabilities } from "../../shared/api/page-capabilities";
import { earlyPlotQuery } from "../../shared/plot/plot-read";
import { rangeFromSearch } from "../../shared/time/view-range";
import { sendEarlyReads } from "./early-reads";

let server: TestServer;
let proxy: Server;
let base = "";
let objectId = "";
let capabilities = "";
/** Requests that reached the server: path with query, and the Authorization header. */
const seen: { url: string; auth: string }[] = [];

const jsdom = () => (globalThis as unknown as { jsdom: { reconfigure(o: { url: string }): void } }).jsdom;

function open(path: string, meta = true): void {
  jsdom().reconfigure({ url: `${base}${path}` });
  document.head.querySelector('meta[name="heedy-explorer-capabilities"]')?.remove();
  if (meta) {
    const tag = document.createElement("meta");
    tag.name = "heedy-explorer-capabilities";
    tag.content = capabilities;
    document.head.append(tag);
  }
}

/** Sends the boot script's reads, as the page does, and hands them to the app's module. */
function boot(): ReturnType<typeof sendEarlyReads> {
  const reads = sendEarlyReads(fetch);
  (globalThis as Record<string, unknown>)[EARLY_READS_GLOBAL] = reads;
  resetEarlyReads();
  return reads;
}

const count = (path: string) => seen.filter((s) => s.url.split("?")[0] === path).length;

beforeAll(async () => {
  server = await startTestServer();
  const app = new App(server.token, server.url);
  const ts = (await app.objects.create("boot sensor", { type: "timeseries" })) as Timeseries;
  const now = Math.floor(Date.now() / 1000);
  await ts.insertArray(Array.from({ length: 300 }, (_, i) => ({ t: now - 300 + i, d: i })));
  objectId = ts.id;
  capabilities = JSON.stringify(await app.capabilities());
  proxy = createServer((req, res) => {
    seen.push({ url: req.url ?? "", auth: req.headers.authorization ?? "" });
    const upstream = request(
      new URL(req.url ?? "/", server.url),
      { method: req.method, headers: { ...req.headers, connection: "close" } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((ok) => proxy.listen(0, "127.0.0.1", ok));
  base = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterEach(() => {
  seen.length = 0;
  resetEarlyReads();
  window.localStorage.clear();
  window.sessionStorage.clear();
});

afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise((ok) => proxy.close(ok));
  await server.close();
});

describe("a shared link to an object's Data tab", () => {
  it("reads the check, the object and the plot once: the app's client takes the early answers", async () => {
    open(`/objects/${objectId}/data?from=now-1h&to=now#token=${server.token}`);
    const reads = boot();
    expect(reads?.reads.map((r) => r.authorization)).toEqual(Array(3).fill(`Bearer ${server.token}`));
    await Promise.all(reads?.reads.map((r) => r.response) ?? []);

    // The app's own code, as session-store and early-start run it.
    const client = new App(server.token, `${base}/`, pageClientOptions(`${base}/`));
    seedPageCapabilities(client, `${base}/`);
    const app = await client.read();
    const object = client.objects.get(objectId).then((o) => o.data as HeedyObject);
    const range = rangeFromSearch(new URLSearchParams("from=now-1h&to=now"));
    expect(earlyNow()?.getTime()).toBe(reads?.now);
    const view = await new QueryClient().fetchQuery(
      earlyPlotQuery(client, objectId, object, range, { zone: "local" }),
    );

    expect(app.id).toBeTruthy();
    expect((await object).name).toBe("boot sensor");
    expect(view.count).toBe(300);
    expect(count("/api/apps/self")).toBe(1);
    expect(count(`/api/objects/${objectId}`)).toBe(1);
    expect(count(`/api/objects/${objectId}/timeseries/plot`)).toBe(1);
    expect(seen).toHaveLength(3);
    // Everything was taken: a second read asks the server.
    await client.read();
    expect(count("/api/apps/self")).toBe(2);
  });

  it("uses a token this browser kept for this server, and a cookie session otherwise", async () => {
    window.localStorage.setItem(
      "heedy-explorer.session",
      JSON.stringify({ url: `${base}/`, token: server.token }),
    );
    open(`/objects/${objectId}`);
    const kept = boot();
    expect(kept?.reads.map((r) => [new URL(r.url).pathname, r.authorization])).toEqual([
      ["/api/apps/self", `Bearer ${server.token}`],
      [`/api/objects/${objectId}`, `Bearer ${server.token}`],
      [`/api/objects/${objectId}/timeseries/plot`, `Bearer ${server.token}`],
    ]);
    await Promise.all(kept?.reads.map((r) => r.response) ?? []);

    seen.length = 0;
    window.localStorage.clear();
    open(`/objects/${objectId}/schema`);
    const reads = boot();
    expect(reads?.reads.map((r) => [new URL(r.url).pathname, r.authorization])).toEqual([
      ["/frontend_context", null],
      [`/api/objects/${objectId}`, null],
    ]);
    await Promise.all(reads?.reads.map((r) => r.response) ?? []);
    expect(seen.every((s) => s.auth === "")).toBe(true);
    // The person's client takes them the same way.
    const person = new Person(`${base}/`, pageClientOptions(`${base}/`));
    const before = seen.length;
    expect((await person.context()).user).toBeFalsy();
    expect(seen).toHaveLength(before);
  });

  it("sends nothing for another server's token, an empty token, or a page other than an object", () => {
    window.sessionStorage.setItem(
      "heedy-explorer.session",
      JSON.stringify({ url: "https://elsewhere.example/", token: "t" }),
    );
    open(`/objects/${objectId}`);
    expect(boot()).toBeUndefined();
    open(`/objects/${objectId}#token=%20`);
    expect(boot()).toBeUndefined();
    open(`/#token=${server.token}`);
    expect(boot()).toBeUndefined();
    open(`/explore?s=${objectId}#token=${server.token}`);
    expect(boot()).toBeUndefined();
    expect(seen).toHaveLength(0);
  });

  it("runs beforePlot (the chart chunk's import) just before the plot read, and only then", () => {
    const order: string[] = [];
    // Only the order is under test here: nothing is sent.
    const send = ((url: string) => {
      order.push(new URL(url).pathname);
      return new Promise<Response>(() => undefined);
    }) as typeof fetch;
    open(`/objects/${objectId}#token=${server.token}`);
    sendEarlyReads(send, Date.now(), () => order.push("before plot"));
    expect(order).toEqual([
      "/api/apps/self",
      `/api/objects/${objectId}`,
      "before plot",
      `/api/objects/${objectId}/timeseries/plot`,
    ]);
    order.length = 0;
    open(`/objects/${objectId}/schema#token=${server.token}`);
    sendEarlyReads(send, Date.now(), () => order.push("before plot"));
    expect(order).toEqual(["/api/apps/self", `/api/objects/${objectId}`]);
  });

  it("leaves the plot read to the app where it reads otherwise: aggregated, no plot read, a bad range", () => {
    const paths = () => boot()?.reads.map((r) => new URL(r.url).pathname);
    const both = ["/api/apps/self", `/api/objects/${objectId}`];
    open(`/objects/${objectId}?per=hour-mean#token=${server.token}`);
    expect(paths()).toEqual(both);
    open(`/objects/${objectId}#token=${server.token}`, false);
    expect(paths()).toEqual(both);
    open(`/objects/${objectId}?from=now&to=now-1h#token=${server.token}`);
    expect(paths()).toEqual(both);
    open(`/objects/${objectId}/access#token=${server.token}`);
    expect(paths()).toEqual(both);
  });
});
