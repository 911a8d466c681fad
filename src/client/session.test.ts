import { afterEach, describe, expect, it } from "vitest";
import { App, Plugin } from "./app.js";
import { DEFAULT_URL, encodeQuery, resolveBaseUrl, Session } from "./session.js";
import { recordingFetch } from "./test-fetch.js";

/** Sets a global for one test (location, fetch); `restoreGlobals` puts the originals back. */
const saved = new Map<string, PropertyDescriptor | undefined>();
function setGlobal(name: string, value: unknown): void {
  if (!saved.has(name)) saved.set(name, Object.getOwnPropertyDescriptor(globalThis, name));
  Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
}
function restoreGlobals(): void {
  for (const [name, descriptor] of saved) {
    if (descriptor) Object.defineProperty(globalThis, name, descriptor);
    else delete (globalThis as Record<string, unknown>)[name];
  }
  saved.clear();
}

afterEach(restoreGlobals);

describe("resolveBaseUrl (the Python client's rules, contract 11)", () => {
  it("defaults to http://localhost:1324 outside a browser", () => {
    expect(resolveBaseUrl()).toBe("http://localhost:1324/");
    expect(resolveBaseUrl("")).toBe("http://localhost:1324/");
    expect(DEFAULT_URL).toBe("http://localhost:1324");
  });

  it("defaults to the page's origin in a browser", () => {
    setGlobal("location", { origin: "https://heedy.example.org" });
    expect(resolveBaseUrl()).toBe("https://heedy.example.org/");
  });

  it("ignores a non-http origin (file:// pages, workers without location)", () => {
    setGlobal("location", { origin: "null" });
    expect(resolveBaseUrl()).toBe("http://localhost:1324/");
  });

  it("reads a bare port as the local server", () => {
    expect(resolveBaseUrl(":1324")).toBe("http://localhost:1324/");
  });

  it("prepends https:// to a URL without scheme and adds the trailing slash", () => {
    expect(resolveBaseUrl("heedy.mydomain.com")).toBe("https://heedy.mydomain.com/");
    expect(resolveBaseUrl("http://localhost:1324")).toBe("http://localhost:1324/");
    expect(resolveBaseUrl("HTTPS://h.example/")).toBe("HTTPS://h.example/");
  });

  it("keeps a sub-path so the server can be mounted below /", () => {
    const session = new Session("https://example.org/tools/heedy", {});
    expect(session.baseUrl).toBe("https://example.org/tools/heedy/");
    expect(session.url("api/objects")).toBe("https://example.org/tools/heedy/api/objects");
  });
});

describe("encodeQuery", () => {
  it("leaves out undefined values and writes booleans as true/false", () => {
    expect(encodeQuery({ a: undefined, icon: true, validate: false })).toBe("?icon=true&validate=false");
    expect(encodeQuery({})).toBe("");
    expect(encodeQuery(undefined)).toBe("");
  });

  it("encodes spaces as + and a literal + as %2B (contract 8.4: now+1h)", () => {
    expect(encodeQuery({ tags: "x y" })).toBe("?tags=x+y");
    expect(encodeQuery({ t1: "now+1h" })).toBe("?t1=now%2B1h");
  });

  it("keeps an empty string, which heedy reads as a filter (key= finds key-less objects)", () => {
    expect(encodeQuery({ key: "" })).toBe("?key=");
  });

  it("writes numbers in plain decimal", () => {
    expect(encodeQuery({ t1: 1714557600.123456, i1: -5 })).toBe("?t1=1714557600.123456&i1=-5");
  });
});

describe("credentials and headers", () => {
  it("App sends the Python client's headers: Bearer token and JSON content type", async () => {
    const rec = recordingFetch("http://h.test/");
    const app = new App("testkey", "http://h.test", { fetch: rec.fetch });
    rec.reply({ json: [] });
    await app.objects();
    expect(rec.last().headers.authorization).toBe("Bearer testkey");
    expect(rec.last().headers["content-type"]).toBe("application/json");
    expect(rec.last().headers["x-heedy-key"]).toBeUndefined();
  });

  it("Plugin sends X-Heedy-Key and, when acting as someone, X-Heedy-As", async () => {
    const rec = recordingFetch("http://h.test/");
    const plugin = new Plugin("secret", "http://h.test", { fetch: rec.fetch });
    rec.reply({ json: [] });
    await plugin.objects();
    expect(rec.last().headers["x-heedy-key"]).toBe("secret");
    expect(rec.last().headers["x-heedy-as"]).toBeUndefined();
    expect(rec.last().headers.authorization).toBeUndefined();
    expect(rec.last().path).toBe("api/objects");
    expect(rec.last().search).toBe("");
    expect(plugin.actingAs).toBe("heedy");

    const asUser = plugin.as("test");
    rec.reply({ json: [] });
    await asUser.objects();
    expect(rec.last().headers["x-heedy-key"]).toBe("secret");
    expect(rec.last().headers["x-heedy-as"]).toBe("test");
    expect(asUser.actingAs).toBe("test");
  });

  it("extra headers from the options are sent, but cannot replace the credentials", async () => {
    const rec = recordingFetch("http://h.test/");
    const app = new App("tok", "http://h.test", {
      fetch: rec.fetch,
      headers: { "X-Trace": "1", Authorization: "Bearer other" },
    });
    rec.reply({ json: [] });
    await app.objects();
    expect(rec.last().headers["x-trace"]).toBe("1");
    expect(rec.last().headers.authorization).toBe("Bearer tok");
  });

  it("uses the global fetch when none is given, looked up at request time", async () => {
    const rec = recordingFetch("http://h.test/");
    const app = new App("tok", "http://h.test");
    setGlobal("fetch", rec.fetch);
    rec.reply({ json: [] });
    await app.objects();
    expect(rec.requests).toHaveLength(1);
  });
});
