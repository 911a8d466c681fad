import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App, type Timeseries } from "../../../../client/index";
import { startTestServer, type TestServer } from "../../../../server/testing";
import { blockIndices, locateRange } from "./table";

describe("table blocks", () => {
  it("reads blocks newest first by index", () => {
    const win = { start: 100, count: 450, selection: {} };
    expect(blockIndices(win, 0)).toEqual([350, 550]);
    expect(blockIndices(win, 2)).toEqual([100, 150]);
  });
});

describe("locating a time range (real server)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("counts with transform=count, never downloading the range's points", async () => {
    const urls: string[] = [];
    let bytes = 0;
    const counting: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      urls.push(String(input));
      bytes += (await res.clone().arrayBuffer()).byteLength;
      return res;
    };
    const app = new App(server.token, server.url, { fetch: counting });
    const obj = await app.objects.create("states", { type: "timeseries" });
    const ts = obj as Timeseries;
    const now = Math.floor(Date.now() / 1000);
    // 3 hours of object-valued points, one a second: the last hour holds 3,600 of them.
    const points = Array.from({ length: 3 * 3600 }, (_, i) => ({
      t: now - 3 * 3600 + i,
      d: { state: `s${i % 7}`, note: "x".repeat(40) },
    }));
    await ts.insertArray(points);
    urls.length = 0;
    bytes = 0;
    const win = await locateRange(app, await ts.read(), { kind: "time", from: "now-1h", to: "now" });
    // "now-1h" moves on while a loaded machine inserts: each second since `now` drops one point.
    const elapsed = Math.ceil(Date.now() / 1000) - now;
    expect(win.count).toBeGreaterThanOrEqual(3599 - elapsed);
    expect(win.count).toBeLessThanOrEqual(3601);
    expect(win.start + win.count).toBe(3 * 3600);
    expect(urls.filter((u) => u.includes("transform=count"))).toHaveLength(2);
    expect(urls.some((u) => u.includes("/plot"))).toBe(false);
    // Two one-point answers and a length, not 3,600 points twice (~300 KB).
    expect(bytes).toBeLessThan(2000);
  });
});
