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

describe("object series export, one column per field (real server)", () => {
  it("writes d.<field> columns that the import maps back to the same points", async () => {
    const { startTestServer } = await import("../../../../server/testing");
    const { App: RealApp } = await import("../../../../client/index");
    const { readSource, guessMapping, planImport } = await import("../model/import-model");
    const server = await startTestServer();
    try {
      const client = new RealApp(server.token, server.url);
      const ts = await client.objects.create("rooms");
      const points = [
        { t: 1, d: { temp: 20.5, room: "hall" } },
        { t: 2, dt: 5, d: { temp: 21, note: 'says "hi", twice\nover two lines' } },
        { t: 8, d: { room: "", flag: true, nested: { a: [1, 2] } } },
      ];
      await ts.insertArray(points);
      const sink = new BlobSink("text/csv");
      await exportRange({ client, object: ts.data, selection: {}, format: "csv", sink, pageSize: 2 });
      const text = await sink.blob().text();
      expect(text.split("\r\n")[0]).toBe("t,dt,d.temp,d.room,d.note,d.flag,d.nested");
      const source = readSource("rooms.csv", text);
      const mapping = guessMapping(source);
      expect(mapping.map((m) => (m.role === "field" ? m.field : m.role))).toEqual([
        "t",
        "dt",
        "temp",
        "room",
        "note",
        "flag",
        "nested",
      ]);
      const plan = await planImport(source, mapping, {});
      expect(plan.problems).toEqual([]);
      expect(plan.points).toEqual(points);
    } finally {
      await server.close();
    }
  });
});
