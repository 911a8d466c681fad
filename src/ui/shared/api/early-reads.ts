/**
 * Reads sent by the page's first script (app/boot, inlined into index.html and run while the HTML
 * is parsed) before the app's code is in: for a shared link to an object, the credentials' check,
 * the object and (Data tab) its plot go out ~120 ms earlier than the app could send them. The app's
 * clients of the page's own server take those answers instead of asking again (`earlyFetch`),
 * matched by method, URL and credentials, each at most once and only while fresh. They pass through
 * the client like any answer: nothing read with a token is shown before the app has checked it.
 */
import { resolveBaseUrl, type SessionOptions } from "../../../client/index";

/** The global the boot script leaves its reads in; the app takes them and deletes it. */
export const EARLY_READS_GLOBAL = "__heedyEarlyReads";

/** How long an early answer may stand in for the app's own read. */
export const EARLY_READ_TTL_MS = 5_000;

export interface EarlyRead {
  /** Absolute URL, exactly as the client builds it. */
  url: string;
  /** The Authorization header sent, or null for a cookie session's read. */
  authorization: string | null;
  response: Promise<Response>;
  /** Its URL holds a range resolved at `EarlyReads.now` (the plot read). */
  ranged?: boolean;
}

export interface EarlyReads {
  /** `Date.now()` when they were sent. */
  sentAt: number;
  /** The instant a relative range ("now-6h") was resolved at, in ms: the app resolves it alike. */
  now: number;
  reads: EarlyRead[];
}

let taken: EarlyReads | undefined;
let took = false;

function early(): EarlyReads | undefined {
  if (!took) {
    took = true;
    const holder = globalThis as Record<string, unknown>;
    const value = holder[EARLY_READS_GLOBAL] as EarlyReads | undefined;
    delete holder[EARLY_READS_GLOBAL];
    if (value && Array.isArray(value.reads)) taken = value;
  }
  if (taken && Date.now() - taken.sentAt > EARLY_READ_TTL_MS) taken = undefined;
  return taken;
}

function authorizationOf(init: RequestInit | undefined): string | null {
  const headers = new Headers(init?.headers);
  return headers.get("authorization");
}

/**
 * The instant the boot script resolved a range at, while that read is fresh and unclaimed: the
 * app's first plot read resolves its range at the same instant, so it asks for the same URL.
 */
export function earlyNow(): Date | undefined {
  const reads = early();
  return reads?.reads.some((r) => r.ranged) ? new Date(reads.now) : undefined;
}

/**
 * `fetch`, except that a GET the boot script already sent with the same URL and credentials is
 * answered with that read (once). A read that failed on the wire is asked again.
 */
export function earlyFetch(input: string, init?: RequestInit): Promise<Response> {
  const reads = early();
  const method = (init?.method ?? "GET").toUpperCase();
  if (reads && method === "GET" && init?.body == null) {
    const authorization = authorizationOf(init);
    const at = reads.reads.findIndex((r) => r.url === input && r.authorization === authorization);
    if (at >= 0) {
      const [read] = reads.reads.splice(at, 1);
      return answer(read!.response, input, init);
    }
  }
  return fetch(input, init);
}

/** Options for a client of `base`: one of the page's own server takes the early answers. */
export function pageClientOptions(base: string): SessionOptions {
  return base === resolveBaseUrl() ? { fetch: earlyFetch } : {};
}

/** The early answer, or fetch's own if it failed on the wire; abortable like fetch. */
function answer(early: Promise<Response>, input: string, init: RequestInit | undefined): Promise<Response> {
  const signal = init?.signal;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((ok, fail) => {
    const abort = () => fail(signal?.reason);
    signal?.addEventListener("abort", abort, { once: true });
    early
      .catch(() => fetch(input, init))
      .then(ok, fail)
      .finally(() => signal?.removeEventListener("abort", abort));
  });
}

/** Forgets what `earlyFetch` took (tests). */
export function resetEarlyReads(): void {
  taken = undefined;
  took = false;
}
