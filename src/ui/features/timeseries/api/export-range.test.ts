import { describe, expect, it } from "vitest";
import type { App, HeedyObject } from "../../../../client/index";
import { BlobSink } from "../model/export-sinks";
import { exportRange } from "./export-range";

describe("streamed export", () => {
  it("reads pages without repeating the boundary point and writes chunks", async () => {
    const all = Array.from({ length: 25 }, (_, i) => ({ t: i, d: i * 2 }));
    const requests: string[] = [];
    const session = {
      get: async (_path: string, query: Record<string, unknown>) => {
        requests.push(JSON.stringify(query));
        const from = (query.t1 as number | undefined) ?? Number.NEGATIVE_INFINITY;
        return all.filter((p) => p.t >= from).slice(0, query.limit as number);
      },
    };
    const client = { session, server: {} } as unknown as App;
    const object = { id: "x", name: "x", type: "timeseries", meta: {} } as unknown as HeedyObject;
    const sink = new BlobSink("text/csv");
    const written = await exportRange({ client, object, selection: {}, format: "csv", sink, pageSize: 10 });
    expect(written).toBe(25);
    const text = await sink.blob().text();
    expect(text.split("\r\n").filter(Boolean)).toHaveLength(26);
    expect(requests.length).toBeGreaterThanOrEqual(3);
    const json = new BlobSink("application/json");
    await exportRange({ client, object, selection: {}, format: "json", sink: json, pageSize: 7 });
    expect(JSON.parse(await json.blob().text())).toEqual(all);
  });
});
