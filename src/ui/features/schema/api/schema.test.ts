import { describe, expect, it } from "vitest";
import type { App, HeedyObject } from "../../../../client/index";
import { reportText } from "../components/SchemaTab";
import { checkExistingData, SCHEMA_CHECK_SAMPLE } from "./schema";

/** A client whose series holds `total` points `d = i`, read like the server does. */
function fakeClient(total: number) {
  const reads: unknown[] = [];
  const session = {
    get: async (path: string, query: Record<string, unknown> | undefined) => {
      if (path.endsWith("/length")) return total;
      reads.push(query);
      const i1 = (query?.i1 as number | undefined) ?? 0;
      const from = i1 < 0 ? Math.max(0, total + i1) : i1;
      return Array.from({ length: total - from }, (_, k) => ({ t: from + k, d: from + k }));
    },
  };
  return { client: { session, server: {} } as unknown as App, reads };
}

const object = { id: "x", name: "x", type: "timeseries", meta: {} } as unknown as HeedyObject;

describe("checking stored data against a new schema", () => {
  it("samples the last 10,000 points and reports the failures, newest first", async () => {
    const { client, reads } = fakeClient(25_000);
    const report = await checkExistingData(client, object, { type: "integer", maximum: 24_997 });
    expect(reads).toEqual([expect.objectContaining({ i1: -SCHEMA_CHECK_SAMPLE })]);
    expect(report).toMatchObject({ total: 25_000, checked: 10_000, failed: 2 });
    expect(report.examples.map((e) => [e.point.d, e.reason])).toEqual([
      [24_999, "value must be <= 24997"],
      [24_998, "value must be <= 24997"],
    ]);
    expect(reportText(report)).toMatch(/^Sampled the last 10,000 points of 25,000 .*: 2 would fail/);
  });

  it("checks every point of a small series", async () => {
    const { client } = fakeClient(3);
    const report = await checkExistingData(client, object, { type: "number" });
    expect(report).toMatchObject({ total: 3, checked: 3, failed: 0 });
    expect(reportText(report)).toBe("Checked all 3 datapoints: every one matches the new schema.");
  });
});
