/**
 * `Timeseries.replace()` and `modifiedTime` listings against the real server: once through the
 * `timeseries.replace` extension, and once as against a real heedy, whose only difference that
 * matters here is the 404 at `/api/server/capabilities` (the fetch below answers it as heedy does).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../server/testing.js";
import { App } from "./app.js";
import type { FetchLike } from "./session.js";

let server: TestServer;
const seen: string[] = [];

/** The real server, except that it answers the discovery request as heedy 0.6 does. */
const asHeedy: FetchLike = async (input, init) => {
  const url = new URL(input);
  seen.push(`${init.method ?? "GET"} ${url.pathname.replace(/^\/api\/objects\/[^/]+/, "/api/objects/X")}`);
  if (url.pathname === "/api/server/capabilities")
    return new Response(
      JSON.stringify({
        error: "not_found",
        error_description: "The given endpoint is not available",
        id: "x",
      }),
      { status: 404, headers: { "content-type": "application/json" } },
    );
  return fetch(input, init);
};

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe("Timeseries.replace", () => {
  it("uses one atomic request where the server lists timeseries.replace", async () => {
    const app = new App(server.token, server.url);
    const ts = await app.objects.create("edit me");
    await ts.insertArray([
      { t: 10, d: 1 },
      { t: 20, d: 2 },
    ]);
    expect(await ts.replace({ t: 20 }, [{ t: 21, dt: 1, d: 5 }])).toEqual({
      atomic: true,
      removed: 1,
      written: 1,
    });
    expect(Array.from(await ts.slice())).toEqual([
      { t: 10, d: 1 },
      { t: 21, dt: 1, d: 5 },
    ]);
  });

  it("falls back to read, remove and insert on a heedy server, and says it was not atomic", async () => {
    const app = new App(server.token, server.url, { fetch: asHeedy });
    const ts = await app.objects.create("edit me on heedy");
    await ts.insertArray([{ t: 10, d: 1 }]);
    seen.length = 0;
    expect(await ts.replace({ t: 10 }, [{ t: 12, d: 3 }])).toEqual({ atomic: false, removed: 1, written: 1 });
    expect(seen).toEqual([
      "GET /api/server/capabilities",
      "GET /api/server/version",
      "GET /api/objects/X/timeseries",
      "DELETE /api/objects/X/timeseries",
      "POST /api/objects/X/timeseries",
    ]);
    expect(Array.from(await ts.slice())).toEqual([{ t: 12, d: 3 }]);
  });

  it("writes the removed points back when the fallback's insert is refused", async () => {
    const app = new App(server.token, server.url, { fetch: asHeedy });
    const ts = await app.objects.create("strict", { meta: { schema: { type: "number" } } });
    await ts.insertArray([{ t: 10, d: 1 }]);
    await expect(ts.replace({ t: 10 }, [{ t: 11, d: "not a number" }])).rejects.toThrow(
      "The data failed schema validation",
    );
    expect(Array.from(await ts.slice())).toEqual([{ t: 10, d: 1 }]);
  });
});

describe("objects({ modifiedTime })", () => {
  it("asks for modified_time only where the server offers it", async () => {
    const ours = new App(server.token, server.url);
    const ts = await ours.objects.create("written");
    await ts.append(1);
    const listed = await ours.objects({ modifiedTime: true });
    const mine = listed.find((o) => o.id === ts.id)!;
    expect(typeof mine.data.modified_time).toBe("number");

    const heedy = new App(server.token, server.url, { fetch: asHeedy });
    const plain = await heedy.objects({ modifiedTime: true });
    expect(plain.find((o) => o.id === ts.id)!.data).not.toHaveProperty("modified_time");
  });
});
