import { errorFromResponse, HeedyNetworkError, HeedyResponseError, isAbortError } from "./errors.js";

/** The subset of `fetch` the client needs; pass your own to add logging, retries or test doubles. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Options shared by `App`, `Plugin` and everything created from them. */
export interface SessionOptions {
  /** Defaults to the global `fetch`, looked up at request time. */
  fetch?: FetchLike;
  /** Applies to every request unless a call passes its own signal. */
  signal?: AbortSignal;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
  /**
   * fetch's `credentials`. A person signed in with a password (`Person`) sends the browser's
   * session cookie with `"same-origin"`; token clients leave fetch's default.
   */
  credentials?: RequestCredentials;
}

/** Per-call options accepted by every method that talks to the server. */
export interface RequestOptions {
  /** Cancels this request; the promise then rejects with the signal's AbortError, unwrapped. */
  signal?: AbortSignal;
}

/** Query values; `undefined` means "leave the parameter out" (heedy rejects unknown names, 1.5). */
export type QueryValue = string | number | boolean | undefined;
export type Query = Readonly<Record<string, QueryValue>>;

export const DEFAULT_URL = "http://localhost:1324";

/**
 * Turns the user's URL into a base that relative API paths can be joined onto, following the Python
 * client (contract 11) so that the same strings work in both: no URL → the page's origin in a
 * browser (the app is served by the server it talks to) or `http://localhost:1324` elsewhere;
 * `:1324` → `http://localhost:1324`; a URL without scheme gets `https://`; a trailing `/` is added
 * so a server mounted under a sub-path (`https://host/heedy/`) keeps that path.
 */
export function resolveBaseUrl(url?: string): string {
  let base = url?.trim() || pageOrigin() || DEFAULT_URL;
  // Python prefixes "localhost" and then https://; nobody serves https on localhost:port by
  // default, so a bare port means the local development server over http.
  if (base.startsWith(":")) base = `http://localhost${base}`;
  if (!/^https?:\/\//i.test(base)) base = `https://${base}`;
  if (!base.endsWith("/")) base += "/";
  return base;
}

function pageOrigin(): string | undefined {
  const location = (globalThis as { location?: { origin?: unknown } }).location;
  const origin = location?.origin;
  return typeof origin === "string" && /^https?:/i.test(origin) ? origin : undefined;
}

/** Encodes a query the way heedy decodes it: booleans as `true`/`false`, numbers in plain decimal. */
export function encodeQuery(query: Query | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    params.append(name, typeof value === "string" ? value : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The absolute URL of `path` (relative to `baseUrl`) with `query`, as every request sends it. */
export function requestUrl(baseUrl: string, path: string, query?: Query): string {
  return new URL(path, baseUrl).toString() + encodeQuery(query);
}

/** Encodes one path segment: ids are opaque and may in principle hold `/` or `?`. */
export function segment(value: string): string {
  return encodeURIComponent(value);
}

interface SendOptions extends RequestOptions {
  query?: Query;
  /** JSON-encoded as the request body when not undefined. */
  body?: unknown;
  /** Sent urlencoded instead of `body` (`POST /auth/token` reads a form, contract 2.4). */
  form?: URLSearchParams;
}

/**
 * The one place that performs HTTP: joins paths onto the base URL, adds the credentials, and maps
 * every failure to an error class (see errors.ts). Everything above it speaks in resources.
 */
export class Session {
  readonly baseUrl: string;
  private readonly headers: Record<string, string>;
  private readonly fetchImpl: FetchLike | undefined;
  private readonly signal: AbortSignal | undefined;
  private readonly credentials: RequestCredentials | undefined;

  constructor(url: string | undefined, auth: Record<string, string>, options: SessionOptions = {}) {
    this.baseUrl = resolveBaseUrl(url);
    // The Python client sends this header on every request, GET and DELETE included (contract 1.6);
    // sending it too keeps our server tested against exactly what heedy's clients send.
    this.headers = { "Content-Type": "application/json", ...options.headers, ...auth };
    this.fetchImpl = options.fetch;
    this.signal = options.signal;
    this.credentials = options.credentials;
  }

  /**
   * Replaces one credential header. Every handle made from an App shares its Session, so after
   * `app.update({access_token: true})` they all continue with the new token, as in Python.
   */
  setHeader(name: string, value: string): void {
    this.headers[name] = value;
  }

  /** The bearer token this session sends, if any (the events socket passes it in its URL). */
  bearerToken(): string | undefined {
    const auth = this.headers.Authorization ?? this.headers.authorization;
    return auth?.toLowerCase().startsWith("bearer ") ? auth.slice(7) : undefined;
  }

  url(path: string, query?: Query): string {
    return requestUrl(this.baseUrl, path, query);
  }

  get<T>(path: string, query?: Query, options?: RequestOptions): Promise<T> {
    return this.json<T>("GET", path, { ...options, query });
  }

  post<T>(path: string, body: unknown, query?: Query, options?: RequestOptions): Promise<T> {
    return this.json<T>("POST", path, { ...options, query, body });
  }

  patch<T>(path: string, body: unknown, options?: RequestOptions): Promise<T> {
    return this.json<T>("PATCH", path, { ...options, body });
  }

  delete<T>(path: string, query?: Query, options?: RequestOptions): Promise<T> {
    return this.json<T>("DELETE", path, { ...options, query });
  }

  /**
   * Sends a request and parses a JSON answer. The type parameter is the caller's claim about the
   * body; the resource modules normalise what they rely on.
   */
  async json<T>(method: string, path: string, options: SendOptions = {}): Promise<T> {
    const { url, status, text } = await this.send(method, path, options);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new HeedyResponseError(url, status, text, "The answer is not JSON");
    }
  }

  /** Sends a request whose answer is plain text (`GET /api/server/version`). */
  async text(method: string, path: string, options: SendOptions = {}): Promise<string> {
    return (await this.send(method, path, options)).text;
  }

  private async send(
    method: string,
    path: string,
    options: SendOptions,
  ): Promise<{ url: string; status: number; text: string }> {
    const url = this.url(path, options.query);
    const headers = { ...this.headers };
    const init: RequestInit = { method, headers };
    if (options.form !== undefined) {
      headers["Content-Type"] = "application/x-www-form-urlencoded";
      init.body = options.form.toString();
    } else if (options.body !== undefined) init.body = JSON.stringify(options.body);
    if (this.credentials) init.credentials = this.credentials;
    const signal = options.signal ?? this.signal;
    if (signal) init.signal = signal;
    const fetchImpl = this.fetchImpl ?? globalThis.fetch;
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(url, init);
      text = await response.text();
    } catch (err) {
      // Cancellation is the caller's own doing: hand back the AbortError untouched so libraries
      // such as TanStack Query recognise it.
      if (isAbortError(err) || signal?.aborted) throw signal?.reason ?? err;
      throw new HeedyNetworkError(url, err);
    }
    if (response.status >= 400) {
      const err = errorFromResponse(url, response.status, text);
      const retryAfter = Number(response.headers.get("retry-after") ?? Number.NaN);
      if (Number.isFinite(retryAfter) && retryAfter >= 0) err.retryAfterS = retryAfter;
      throw err;
    }
    return { url, status: response.status, text };
  }
}
