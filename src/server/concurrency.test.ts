/**
 * Concurrency: many clients at once mix writes and reads on one shared series and on a series of
 * their own. Every acknowledged point is stored exactly once, every read succeeds and sees whole
 * batches only, and no request is refused for being concurrent.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Clients, clientsFor, createObject } from "./test-http.js";
import { startTestServer, type TestServer } from "./testing.js";

let server: TestServer;
let c: Clients;
beforeAll(async () => {
  server = await startTestServer();
  c = await clientsFor(server);
});
afterAll(() => server?.close());

const CLIENTS = 24;
const ROUNDS = 15;
const BATCH = 200;

describe("concurrent clients", () => {
  it("store exactly what was acknowledged, on shared and separate series", async () => {
    const shared = (await createObject(c.app, { name: "shared" })).id as string;
    const own = await Promise.all(
      Array.from(
        { length: CLIENTS },
        async (_, k) => (await createObject(c.app, { name: `own ${k}` })).id as string,
      ),
    );
    const ackedShared: number[] = [];
    const readProblems: string[] = [];

    const client = async (k: number) => {
      let ackedOwn = 0;
      for (let r = 0; r < ROUNDS; r++) {
        // Disjoint time ranges per client and round: every point is distinct.
        const base = (k * ROUNDS + r) * BATCH;
        const points = Array.from({ length: BATCH }, (_, i) => ({ t: base + i, d: { k, r, i } }));
        const target = r % 2 === 0 ? shared : own[k]!;
        const res = await c.app.post(`/api/objects/${target}/timeseries`, points);
        expect(res.status, res.text).toBe(200);
        if (target === shared) ackedShared.push(BATCH);
        else ackedOwn += BATCH;

        const read = await c.app.get(
          `/api/objects/${shared}/timeseries?t1=${base - 5 * BATCH}&t2=${base + BATCH}`,
        );
        if (read.status !== 200) readProblems.push(`${read.status} ${read.text}`);
        else {
          // A read sees each batch whole or not at all.
          const perBatch = new Map<string, number>();
          for (const p of read.body as { d: { k: number; r: number } }[]) {
            const key = `${p.d.k}/${p.d.r}`;
            perBatch.set(key, (perBatch.get(key) ?? 0) + 1);
          }
          const lowest = Math.floor((base - 5 * BATCH) / BATCH);
          for (const [key, n] of perBatch) {
            const [pk, pr] = key.split("/").map(Number) as [number, number];
            const index = pk * ROUNDS + pr;
            // Batches cut by the query's time window are legitimately partial.
            if (index > lowest && index < Math.floor((base + BATCH) / BATCH) && n !== BATCH) {
              readProblems.push(`batch ${key} seen with ${n} points`);
            }
          }
        }
        const length = await c.app.get(`/api/objects/${own[k]}/timeseries/length`);
        expect(length.body).toBe(ackedOwn);
      }
      return ackedOwn;
    };

    const ownCounts = await Promise.all(Array.from({ length: CLIENTS }, (_, k) => client(k)));
    expect(readProblems).toEqual([]);
    const sharedLength = await c.app.get(`/api/objects/${shared}/timeseries/length`);
    expect(sharedLength.body).toBe(ackedShared.reduce((a, b) => a + b, 0));
    const all = await c.app.get(`/api/objects/${shared}/timeseries`);
    const ts = (all.body as { t: number }[]).map((p) => p.t);
    expect(new Set(ts).size).toBe(ts.length);
    for (let k = 0; k < CLIENTS; k++) {
      const res = await c.app.get(`/api/objects/${own[k]}/timeseries/length`);
      expect(res.body).toBe(ownCounts[k]);
    }
  }, 60_000);
});
