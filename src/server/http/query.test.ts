/** heedy's strict query decoding (contract 1.5), checked over HTTP on real endpoints. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Clients, clientsFor, createApp, createObject, expectError, login } from "../test-http.js";
import { startTestServer, type TestServer } from "../testing.js";

let server: TestServer;
let c: Clients;
let ids: string[];

beforeAll(async () => {
  server = await startTestServer();
  c = await clientsFor(server);
  ids = [];
  ids.push((await createObject(c.app, { name: "a", key: "ka" })).id as string);
  ids.push((await createObject(c.app, { name: "b", key: "kb" })).id as string);
  ids.push((await createObject(c.app, { name: "c" })).id as string);
});
afterAll(() => server.close());

async function objects(query: string): Promise<Record<string, unknown>[]> {
  const res = await c.app.get(`/api/objects?${query}`);
  expect(res.status, res.text).toBe(200);
  return res.body as Record<string, unknown>[];
}

describe("names", () => {
  it("an unknown name is refused with a schema error", async () => {
    expectError(await c.app.get("/api/objects?foo=1"), 400, "schema", 'invalid path "foo"');
    expectError(await c.app.get("/api/objects?app=self&Bogus="), 400, "schema", 'invalid path "Bogus"');
    expectError(await c.app.get(`/api/apps/self?nope=1`), 400, "schema", 'invalid path "nope"');
    expectError(await c.plugin.get("/api/users/test?x=1"), 400, "schema", 'invalid path "x"');
  });

  it("several errors name one and count the others", async () => {
    const two = await c.app.get("/api/objects?foo=1&bar=2");
    expect(two.status).toBe(400);
    expect(two.body).toMatchObject({ error: "schema" });
    expect((two.body as { error_description: string }).error_description).toMatch(
      /^invalid path "(foo|bar)" \(and 1 other error\)$/,
    );
    const three = await c.app.get("/api/objects?foo=1&bar=2&limit=x");
    expect((three.body as { error_description: string }).error_description).toMatch(
      /^(invalid path "(foo|bar)"|error converting value for "limit") \(and 2 other errors\)$/,
    );
  });

  it("names match case-insensitively", async () => {
    const upper = await objects("app=self&ICON=true");
    expect(upper.every((o) => o.icon === "")).toBe(true);
    expect(await objects("APP=self&Key=ka")).toEqual([expect.objectContaining({ id: ids[0] })]);
    expect((await c.app.get("/api/apps/self?Token=TRUE")).body).toMatchObject({ id: c.appId });
  });
});

describe("booleans", () => {
  it.each(["1", "t", "T", "TRUE", "true", "True", "on"])("%s is true", async (v) => {
    const list = await objects(`app=self&icon=${v}`);
    expect(list).toHaveLength(3);
    expect(list.every((o) => o.icon === "")).toBe(true);
  });

  it.each(["0", "f", "F", "FALSE", "false", "False", ""])("%j is false", async (v) => {
    const list = await objects(`app=self&icon=${v}`);
    expect(list).toHaveLength(3);
    expect(list.every((o) => !("icon" in o))).toBe(true);
  });

  it.each(["yes", "no", "off", "2", "tRuE"])("%s is refused", async (v) => {
    expectError(
      await c.app.get(`/api/objects?icon=${v}`),
      400,
      "schema",
      'error converting value for "icon"',
    );
  });

  it("an optional boolean given empty filters for false (enabled= lists disabled apps)", async () => {
    const off = await createApp(c, "test", { enabled: false });
    const user = await login(c, "test", "test");
    const res = await user.get("/api/apps?enabled=");
    expect((res.body as { id: string }[]).map((a) => a.id)).toEqual([off.id]);
  });
});

describe("integers", () => {
  it("accept an optional sign; anything else is a conversion error", async () => {
    // A raw "+" decodes to a space (and " 2" is no integer), so the sign travels as %2B.
    expect(await objects("app=self&limit=%2B2")).toHaveLength(2);
    expect(await objects("app=self&limit=-5")).toHaveLength(3);
    for (const bad of ["abc", "1.5", "1e2", "0x10", " 1", "99999999999999999999"]) {
      expectError(
        await c.app.get(`/api/objects?limit=${encodeURIComponent(bad)}`),
        400,
        "schema",
        'error converting value for "limit"',
      );
    }
  });

  it("limit= is limit 0: an empty list", async () => {
    const res = await c.app.get("/api/objects?app=self&limit=");
    expect({ status: res.status, text: res.text }).toEqual({ status: 200, text: "[]" });
  });
});

describe("empty values and repeats", () => {
  it("key= selects objects without a key; app= selects objects of no app", async () => {
    expect((await objects("app=self&key=")).map((o) => o.id)).toEqual([ids[2]]);
    expect(await objects("app=")).toEqual([]);
  });

  it("shared is accepted and ignored on the object list (6.1)", async () => {
    expect(await objects("app=self&shared=true")).toHaveLength(3);
    expectError(
      await c.app.get("/api/objects?shared=maybe"),
      400,
      "schema",
      'error converting value for "shared"',
    );
  });

  it("the last repeat wins", async () => {
    expect((await objects("app=self&key=ka&key=kb")).map((o) => o.id)).toEqual([ids[1]]);
    expect((await objects("app=self&key=kb&key=")).map((o) => o.id)).toEqual([ids[2]]);
    expect(await objects("app=self&limit=0&limit=2")).toHaveLength(2);
    expect((await objects("app=self&icon=true&icon=false")).every((o) => !("icon" in o))).toBe(true);
    expect((await objects("app=self&ICON=false&icon=1")).every((o) => o.icon === "")).toBe(true);
  });

  it("percent-encoding and + are decoded once", async () => {
    const spaced = await createObject(c.app, { name: "t", tags: "one two" });
    expect((await objects("app=self&tags=one+two")).map((o) => o.id)).toEqual([spaced.id]);
    expect((await objects("app=self&tags=one%20two")).map((o) => o.id)).toEqual([spaced.id]);
    expect(await objects("app=self&tags=one%2Btwo")).toEqual([]);
  });
});
