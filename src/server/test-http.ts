/**
 * Small fetch helpers for the server's integration tests: every test talks to the real server over
 * HTTP (no injection, no mocks) and asserts exact statuses and bodies.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync } from "node:zlib";
import { expect } from "vitest";
import type { TestServer } from "./testing.js";

export interface Res {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON, or undefined when the body is not JSON. */
  body: unknown;
}

export type Headerish = Record<string, string>;

export interface RequestOptions {
  /** JSON-encoded unless `raw` is given. */
  json?: unknown;
  /** Sent as is. */
  raw?: string;
  headers?: Headerish;
}

/** A client bound to a base URL and a fixed set of headers (credentials). */
export class Http {
  constructor(
    readonly base: string,
    readonly defaults: Headerish = {},
  ) {}

  with(headers: Headerish): Http {
    return new Http(this.base, { ...this.defaults, ...headers });
  }

  async req(method: string, path: string, opts: RequestOptions = {}): Promise<Res> {
    const headers: Headerish = { ...this.defaults, ...opts.headers };
    let body: string | undefined;
    if (opts.raw !== undefined) body = opts.raw;
    else if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      headers["content-type"] ??= "application/json";
    }
    const res = await fetch(`${this.base}${path}`, { method, headers, body, redirect: "manual" });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, text, body: parsed };
  }

  get(path: string, opts?: RequestOptions) {
    return this.req("GET", path, opts);
  }
  post(path: string, json?: unknown, opts: RequestOptions = {}) {
    return this.req("POST", path, { ...opts, json });
  }
  patch(path: string, json?: unknown, opts: RequestOptions = {}) {
    return this.req("PATCH", path, { ...opts, json });
  }
  delete(path: string, opts?: RequestOptions) {
    return this.req("DELETE", path, opts);
  }
}

export const OK = { result: "ok" } as const;

/** A handler error: both keys plus the 20-character request id (contract 1.4). */
export function heedyError(error: string, description: string) {
  return { error, error_description: description, id: expect.stringMatching(/^[0-9a-v]{20}$/) };
}

/** Asserts status and the exact error body of a handler error. */
export function expectError(res: Res, status: number, error: string, description: string): void {
  expect({ status: res.status, body: res.body }).toEqual({ status, body: heedyError(error, description) });
}

/** Authentication-stage errors carry no `id` (contract 1.4). */
export function expectAuthError(res: Res, status: number, error: string, description: string): void {
  expect({ status: res.status, body: res.body }).toEqual({
    status,
    body: { error, error_description: description },
  });
}

export function expectOk(res: Res): void {
  expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: OK });
  expect(res.text).toBe('{"result":"ok"}');
}

export const bearer = (token: string): Headerish => ({ authorization: `Bearer ${token}` });

/** The credentials and fixture helpers of one test server. */
export interface Clients {
  server: TestServer;
  /** No credentials. */
  anon: Http;
  /** "Test App" (scope `*`) of user test. */
  app: Http;
  /** Plugin key acting as `heedy` (administrative). */
  plugin: Http;
  /** Plugin key acting as someone (`X-Heedy-As`). */
  as(who: string): Http;
  /** The Test App's id. */
  appId: string;
}

export async function clientsFor(server: TestServer): Promise<Clients> {
  const anon = new Http(server.url);
  const app = anon.with(bearer(server.token));
  const plugin = anon.with({ "x-heedy-key": server.pluginKey });
  const self = await app.get("/api/apps/self");
  expect(self.status).toBe(200);
  return {
    server,
    anon,
    app,
    plugin,
    as: (who) => plugin.with({ "x-heedy-as": who }),
    appId: (self.body as { id: string }).id,
  };
}

/** Creates a user through the plugin API (admin path). */
export async function createUser(
  c: Clients,
  username: string,
  password = "pw",
  extra: object = {},
): Promise<void> {
  const res = await c.plugin.post("/api/users", { username, password, ...extra });
  expectOk(res);
}

/** Creates an app through the plugin API and returns its id and token. */
export async function createApp(
  c: Clients,
  owner: string,
  fields: Record<string, unknown> = {},
): Promise<{ id: string; token: string; http: Http }> {
  const res = await c.plugin.post("/api/apps?token=true", { name: "Fixture App", owner, ...fields });
  expect(res.status, res.text).toBe(200);
  const body = res.body as { id: string; access_token: string };
  return { id: body.id, token: body.access_token, http: c.anon.with(bearer(body.access_token)) };
}

/** Logs in through /auth/token and returns a client carrying the session cookie. */
export async function login(
  c: Clients,
  username: string,
  password: string,
  userAgent = "vitest",
): Promise<Http> {
  const res = await c.anon.req("POST", "/auth/token", {
    raw: new URLSearchParams({ grant_type: "password", username, password }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded", "user-agent": userAgent },
  });
  expect(res.status, res.text).toBe(200);
  const token = (res.body as { access_token: string }).access_token;
  // As a browser on the server's own page sends it: cookie requests that change data need it.
  return c.anon.with({ cookie: `token=${token}`, origin: c.server.url });
}

/** Creates an object and returns its JSON. */
export async function createObject(
  http: Http,
  fields: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const res = await http.post("/api/objects", { type: "timeseries", ...fields });
  expect(res.status, res.text).toBe(200);
  return res.body as Record<string, unknown>;
}

/** Today's UTC date, as the server writes dates. */
export const today = () => new Date().toISOString().slice(0, 10);

/**
 * A built app's folder as the server serves it: index.html with an inline first script (its page
 * policy) and one fingerprinted asset with its brotli copy (served from memory), so suites that
 * enumerate the route table cover the app's routes too. `remove()` deletes it.
 */
export function testAppFolder(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "heedy-test-app-"));
  mkdirSync(join(dir, "assets"));
  writeFileSync(
    join(dir, "index.html"),
    '<!doctype html><html><head><script>window.booted=1</script><script type="module" src="/assets/app-Ab12.js"></script></head><body></body></html>',
  );
  const script = `export const answer = ${"1 + ".repeat(600)}1;\n`;
  writeFileSync(join(dir, "assets", "app-Ab12.js"), script);
  writeFileSync(join(dir, "assets", "app-Ab12.js.br"), brotliCompressSync(script));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
