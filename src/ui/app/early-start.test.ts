// @vitest-environment jsdom
/**
 * A shared object link's reads start with the token while the token is still being checked
 * (early-start.ts). When the server refuses it, nothing those reads brought back may be kept or
 * shown: the page shows sign-in, the cache holds nothing read with the refused token, and no
 * first paint was drawn from them.
 *
 * Real server behind a small proxy: the capabilities answer at once (the plot read waits for
 * them), the session check (`GET /api/apps/self`) is refused after 100 ms once the plot read is
 * out, and every other request reaches the server 300 ms late. So the early reads (which the
 * token can make: the control read below) are still out when the refusal comes: the order that
 * would leak if the cache were not cleared with the session.
 */
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { App, type Timeseries } from "../../client/index";
import { startTestServer, type TestServer } from "../../server/testing";

const DELAY_MS = 300;
const REFUSE_MS = 100;

let server: TestServer;
let proxy: Server;
let base = "";
let objectId = "";
/** Requests through the proxy, with the credentials they carried. */
const seen: { url: string; auth: string }[] = [];

function forward(req: IncomingMessage, res: ServerResponse) {
  const target = new URL(req.url ?? "/", server.url);
  const upstream = request(
    target,
    { method: req.method, headers: { ...req.headers, connection: "close" } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  // A read the page gave up on (its cache was cleared) ends the server's side too.
  upstream.on("error", () => res.destroy());
  res.on("close", () => upstream.destroy());
  req.pipe(upstream);
}

beforeAll(async () => {
  server = await startTestServer();
  const app = new App(server.token, server.url);
  const ts = (await app.objects.create("shared sensor", { type: "timeseries" })) as Timeseries;
  const now = Math.floor(Date.now() / 1000);
  await ts.insertArray(Array.from({ length: 600 }, (_, i) => ({ t: now - 600 + i, d: i })));
  objectId = ts.id;
  proxy = createServer((req, res) => {
    seen.push({ url: req.url ?? "", auth: req.headers.authorization ?? "" });
    if (req.url?.startsWith("/api/apps/self")) {
      // Refused once the plot read is out too (at least REFUSE_MS later): the order that would
      // leak, whatever the page's start-up costs on this machine.
      const refuse = () => {
        res.writeHead(401, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: "access_denied", error_description: "Token revoked", id: "t" }));
      };
      const started = Date.now();
      const wait = setInterval(() => {
        const plotOut = seen.some((s) => s.url.includes("/timeseries/plot"));
        if ((plotOut && Date.now() - started >= REFUSE_MS) || Date.now() - started > 5_000) {
          clearInterval(wait);
          refuse();
        }
      }, 10);
      return;
    }
    if (req.url?.startsWith("/api/server/capabilities")) return forward(req, res);
    setTimeout(() => forward(req, res), DELAY_MS);
  });
  await new Promise<void>((ok) => proxy.listen(0, "127.0.0.1", ok));
  base = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise((ok) => proxy.close(ok));
  // Reads the page abandoned may leave the server's side of their connection open.
  server.app.server.closeAllConnections();
  await server.close();
});

it("a refused token clears what its early reads brought back", async () => {
  const jsdom = (globalThis as unknown as { jsdom: { reconfigure(o: { url: string }): void } }).jsdom;
  jsdom.reconfigure({ url: `${base}/objects/${objectId}/data?from=now-1h&to=now#token=${server.token}` });
  const { queryClient } = await import("./query-client");
  const { useSession } = await import("../shared/session/session-store");
  await import("./early-start");

  await vi.waitFor(() => expect(useSession.getState().status).toBe("signed-out"), { timeout: 5_000 });
  expect(useSession.getState().loginError?.problem).toBe("token_rejected");
  expect(window.location.hash).toBe("");

  // The early reads went out with the token, before its check answered...
  const sent = (path: string) =>
    seen.some((s) => s.url.split("?")[0] === path && s.auth === `Bearer ${server.token}`);
  expect(sent(`/api/objects/${objectId}`)).toBe(true);
  expect(sent(`/api/objects/${objectId}/timeseries/plot`)).toBe(true);
  // ...and once they would have answered, none of it is in the cache the page renders from.
  await new Promise((ok) => setTimeout(ok, DELAY_MS + 300));
  const kept = queryClient
    .getQueryCache()
    .getAll()
    .filter((q) => q.state.data !== undefined)
    .map((q) => JSON.stringify(q.queryKey));
  expect(kept).toEqual([]);
  // Nor was any of it drawn: the first paint waits for the token to be accepted.
  expect(document.querySelector(".first-paint")).toBeNull();
  expect(performance.getEntriesByName("heedy:first-paint-page")).toHaveLength(0);

  // Control: the token reads the object through the proxy; only its check was refused.
  const direct = await new App(server.token, base).objects.get(objectId);
  expect(direct.name).toBe("shared sensor");
});
