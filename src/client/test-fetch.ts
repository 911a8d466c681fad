/**
 * A recording fetch for the client's unit tests: it checks what the client sends (contract 11) and
 * answers with canned responses. The tutorial suite uses the real server instead.
 */
import type { FetchLike } from "./session.js";

export interface RecordedRequest {
  method: string;
  url: string;
  /** Path relative to the base URL, without the query. */
  path: string;
  /** The raw query string without `?` ("" when none). */
  search: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Parsed JSON body, or undefined when there was none. */
  body: unknown;
  signal: AbortSignal | undefined;
}

export type Reply = { status?: number; json?: unknown; text?: string } | Error;

export interface RecordingFetch {
  fetch: FetchLike;
  requests: RecordedRequest[];
  /** The last request (throws if none). */
  last(): RecordedRequest;
  /** Queue answers; once the queue is empty every request gets `fallback`. */
  reply(...replies: Reply[]): void;
}

export function recordingFetch(base: string, fallback: Reply = { json: { result: "ok" } }): RecordingFetch {
  const requests: RecordedRequest[] = [];
  const queue: Reply[] = [];
  const fetch: FetchLike = async (input, init) => {
    const url = new URL(input);
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => {
      headers[k] = v;
    });
    const bodyText = typeof init.body === "string" ? init.body : undefined;
    requests.push({
      method: init.method ?? "GET",
      url: input,
      path: `${url.origin}${url.pathname}`.slice(base.length),
      search: url.search.slice(1),
      query,
      headers,
      body: bodyText === undefined ? undefined : JSON.parse(bodyText),
      signal: init.signal ?? undefined,
    });
    if (init.signal?.aborted) throw init.signal.reason;
    const reply = queue.shift() ?? fallback;
    if (reply instanceof Error) throw reply;
    const text = reply.text ?? JSON.stringify(reply.json ?? null);
    return new Response(text, { status: reply.status ?? 200 });
  };
  return {
    fetch,
    requests,
    last() {
      const r = requests[requests.length - 1];
      if (!r) throw new Error("no request was made");
      return r;
    },
    reply(...replies) {
      queue.push(...replies);
    },
  };
}

/** A minimal object as heedy 0.6 sends it. */
export function heedyObject(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: "5d1e9c40-2b7a-4c1e-9f3d-7a0c2e6b8f11",
    name: "My Timeseries",
    description: "",
    owner: "test",
    app: "0b7c3e2a-5f0e-4d57-8a59-9f6f2f7c1d10",
    tags: "mytimeseries",
    type: "timeseries",
    meta: { schema: {} },
    created_date: "2024-05-01",
    modified_date: null,
    owner_scope: "*",
    access: "*",
    ...fields,
  };
}
