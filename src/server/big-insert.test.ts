/**
 * Big inserts (issue 10): a body over STREAM_INSERT_BYTES is parsed as it arrives, validated and
 * encoded in slices, and written in one short transaction, so other requests are answered while
 * it runs; its errors are the whole-body path's, and a refused batch leaves nothing behind.
 *
 * On the code before this change, the first test fails: every version request sent after the
 * body was uploaded waited for the whole insert (one JSON.parse of 27 MB, then the encode).
 */
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STREAM_INSERT_BYTES } from "./http/insert-body.js";
import { type Clients, clientsFor, createObject, expectError, expectOk } from "./test-http.js";
import { startTestServer, type TestServer } from "./testing.js";

let server: TestServer;
let c: Clients;

beforeAll(async () => {
  server = await startTestServer();
  c = await clientsFor(server);
});
afterAll(() => server.close());

function points(n: number, start = 1_700_000_000, d: (i: number) => unknown = (i) => (i % 1000) / 10) {
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = { t: start + i, d: d(i) };
  return out;
}

/**
 * POSTs `body` and resolves `flushed` once the whole body was handed to the socket. With
 * `midway`, the first half is sent, `midway` runs, then the rest follows.
 */
function post(path: string, body: Buffer, midway?: () => Promise<void>) {
  let onFlushed: () => void = () => {};
  const flushed = new Promise<void>((r) => {
    onFlushed = r;
  });
  const done = new Promise<{ status: number; text: string; at: number }>((resolve, reject) => {
    const req = request(`${server.url}${path}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${server.token}`,
        "content-type": "application/json",
        "content-length": body.length,
      },
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (x: Buffer) => chunks.push(x));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          text: Buffer.concat(chunks).toString(),
          at: performance.now(),
        }),
      );
    });
    req.on("error", reject);
    if (!midway) {
      req.end(body, onFlushed);
      return;
    }
    const half = Math.floor(body.length / 2);
    req.write(body.subarray(0, half), () => {
      void midway().then(() => req.end(body.subarray(half), onFlushed), reject);
    });
  });
  return { flushed, done };
}

async function newSeries(schema: Record<string, unknown> = {}): Promise<string> {
  return (await createObject(c.app, { name: "big", meta: { schema } })).id as string;
}

describe("a big insert", () => {
  it("lets a small GET through while it is parsed, validated and written", async () => {
    const id = await newSeries({ type: "number" });
    const n = 1_000_000;
    const body = Buffer.from(JSON.stringify(points(n)));
    expect(body.length).toBeGreaterThan(STREAM_INSERT_BYTES);
    const insert = post(`/api/objects/${id}/timeseries`, body);
    await insert.flushed;
    // Version requests sent one after another once the whole body is on its way.
    const answered: number[] = [];
    let inserted = false;
    void insert.done.then(() => {
      inserted = true;
    });
    while (!inserted) {
      const res = await c.anon.get("/api/server/version");
      expect(res.status).toBe(200);
      answered.push(performance.now());
    }
    const { status, text, at } = await insert.done;
    expect(status, text).toBe(200);
    expect(answered.filter((t) => t < at).length).toBeGreaterThan(0);
    const length = await c.app.get(`/api/objects/${id}/timeseries/length`);
    expect(length.body).toBe(n);
    const tail = await c.app.get(`/api/objects/${id}/timeseries?i1=-2`);
    expect(tail.body).toEqual(points(n).slice(-2));
  }, 60_000);

  it("answers in heedy's shape, never 5xx, when its object is deleted during the upload", async () => {
    const id = await newSeries({ type: "number" });
    const body = Buffer.from(JSON.stringify(points(600_000)));
    // The first half is on its way (and being parsed) when the object goes.
    const { done } = post(`/api/objects/${id}/timeseries`, body, async () => {
      expect((await c.app.delete(`/api/objects/${id}`)).status).toBe(200);
    });
    const res = await done;
    // What a request for an object that is not there gets, on both stores.
    expect(res.status, res.text).toBe(403);
    expect(JSON.parse(res.text)).toMatchObject({
      error: "not_found",
      error_description: "The selected resource was not found",
    });
    expect((await c.app.get(`/api/objects/${id}`)).status).not.toBe(200);
  });

  it("appends after stored points, filling the last chunk", async () => {
    const id = await newSeries();
    expectOk(await c.app.post(`/api/objects/${id}/timeseries`, points(10)));
    const more = points(100_000, 1_700_000_010, (i) => (i % 2 === 0 ? { on: true } : i));
    const res = await post(`/api/objects/${id}/timeseries?method=append`, Buffer.from(JSON.stringify(more)))
      .done;
    expect(res.status, res.text).toBe(200);
    const all = await c.app.get(`/api/objects/${id}/timeseries`);
    expect(all.body).toEqual([...points(10), ...more]);
  }, 30_000);

  it("answers the whole-body path's errors, and writes nothing", async () => {
    const id = await newSeries({ type: "number" });
    const url = `/api/objects/${id}/timeseries`;
    const good = JSON.stringify(points(60_000));
    const bad = (i: number, element: string) => {
      const list = points(60_000).map((p) => JSON.stringify(p));
      list[i] = element;
      return Buffer.from(`[${list.join(",")}]`);
    };
    expect(good.length).toBeGreaterThan(STREAM_INSERT_BYTES);
    const send = (b: Buffer) =>
      post(url, b).done.then((r) => ({ status: r.status, body: JSON.parse(r.text) }));
    const check = async (b: Buffer, status: number, error: string, description: string | RegExp) => {
      const res = await send(b);
      expect(res.status).toBe(status);
      expect(res.body.error).toBe(error);
      if (typeof description === "string") expect(res.body.error_description).toBe(description);
      else expect(res.body.error_description).toMatch(description);
    };
    await check(
      bad(45_000, '{"t":"x","d":1}'),
      400,
      "server_error",
      `parse error: "t" must be a number near element 45000 of '{"t":"x","d":1}'`,
    );
    await check(bad(50_000, "null"), 400, "bad_request", "null datapoint");
    await check(
      bad(50_001, '{"t":1,"d":1e309}'),
      400,
      "bad_request",
      "body[50001].d is a number too large for a double; JSON numbers must be finite",
    );
    await check(
      bad(50_002, '{"t":1,"d":{"\\udc00":1}}'),
      400,
      "bad_request",
      /^body\[50002\]\.d\["\\udc00"\] holds half of a UTF-16 surrogate pair/,
    );
    await check(
      bad(40_000, `{"t":1,"d":${"[".repeat(70)}${"]".repeat(70)}}`),
      400,
      "bad_request",
      /nested more than 64 levels/,
    );
    await check(bad(30_000, '{"t":1,"d":1'), 400, "server_error", /^invalid JSON: /);
    await check(bad(59_999, '{"t":1,"d":"text"}'), 400, "bad_query", "The data failed schema validation");
    // The JSON error later in the body wins over an earlier bad point, as when parsed whole.
    const both = bad(10, '{"t":"x"}').toString().replace(/\}\]$/, "}}]");
    const res = await send(Buffer.from(both));
    expect(res.status).toBe(400);
    expect(res.body.error_description).toMatch(/^invalid JSON: /);
    // A large body that is not an array keeps the whole-body path's error.
    const object = Buffer.from(JSON.stringify({ points: points(60_000) }));
    await check(object, 400, "server_error", /^parse error: expected an array of datapoints/);
    expect((await c.app.get(`${url}/length`)).body).toBe(0);
    expectError(
      await c.app.post(url, null, { raw: "[", headers: { "content-type": "application/json" } }),
      400,
      "server_error",
      "invalid JSON: Unexpected end of JSON input",
    );
  }, 60_000);
});
