/**
 * Upstream mode's events socket: `GET /api/events` upgrades are relayed to the heedy server's own
 * socket, so the app stays live instead of falling back to polling. The upstream connection is
 * opened before the browser's upgrade is accepted, so a refusal (401, 403, 429) reaches the
 * browser as the upstream's own HTTP answer. Frames, close codes and reasons pass both ways
 * unchanged; only the upstream's disappearance is told as 1014 (bad gateway).
 *
 * Credentials travel as they do over HTTP (the cookie, `Authorization`, `?access_token=`). One
 * thing differs: a browser's Origin names this server, which heedy (like any careful WebSocket
 * server) would refuse as foreign. So a cookie-authenticated upgrade must come from this
 * server's own pages, checked here, and the upstream is then told its own origin.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from "fastify";
import WebSocket from "ws";
import { parseCookies, SESSION_COOKIE } from "./http/auth.js";
import { fromOwnOrigin } from "./http/csrf.js";
import { HttpError } from "./http/errors.js";
import { HOP_BY_HOP } from "./http/hop-by-hop.js";
import { rawQuery } from "./http/query.js";
import { sourceOf } from "./login-limiter.js";

// `ws` is what @fastify/websocket runs on: the same library (and version) at both ends of the relay.
type Peer = WebSocket;

const OPEN = 1;
/** The largest frame taken from the upstream; heedy's events are far smaller. */
const MAX_UPSTREAM_FRAME = 16 * 1024 * 1024;
/** A peer this far behind is not reading; dropping it bounds this server's memory. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** How long an upstream socket waits for the browser's upgrade to complete. */
const ATTACH_MS = 10_000;
/** A refusal body longer than this is cut; it is an error message. */
const MAX_REFUSAL_BYTES = 64 * 1024;

/** Request headers that describe this hop or this handshake, never the upstream's. */
const NOT_FORWARDED = new Set<string>([
  ...HOP_BY_HOP,
  "host",
  "origin",
  "content-length",
  "sec-websocket-key",
  "sec-websocket-version",
  "sec-websocket-extensions",
  "sec-websocket-protocol",
]);

/** An open upstream socket; frames wait in `queued` until the browser's end is joined (`sink`). */
interface Held {
  upstream: Peer;
  queued: [Buffer, boolean][];
  sink?: (data: Buffer, isBinary: boolean) => void;
}

interface Pending {
  held: Held;
  timer: NodeJS.Timeout;
  /** Gives the socket's place under the per-source cap back. */
  release(): void;
}

type Opened = Held | { status: number; type: string; body: Buffer };

/**
 * The upgrade's headers for the upstream. Only an upgrade from this server's own pages carries
 * the cookie on, presented with the upstream's own origin; from anywhere else the cookie is
 * dropped and the Origin kept, so the upstream judges it as it would a direct request. Whether a
 * token "is given" is not ours to decide: heedy's query parser ignores pairs ours accepts
 * (`?access_token=%zz`) and would fall back to the cookie.
 */
export function forwardedHeaders(req: FastifyRequest, upstreamOrigin: string): Record<string, string> {
  const own = fromOwnOrigin(req);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || NOT_FORWARDED.has(name)) continue;
    if (name === "cookie" && !own) continue;
    out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  const origin = req.headers.origin;
  if (own) out.origin = upstreamOrigin;
  else if (typeof origin === "string") out.origin = origin;
  return out;
}

/** A browser upgrade from another site that would have gone with the session cookie. */
function foreignCookieUpgrade(req: FastifyRequest): boolean {
  if (fromOwnOrigin(req) || req.headers.authorization) return false;
  if (new URLSearchParams(rawQuery(req.url)).has("access_token")) return false;
  return parseCookies(req.headers.cookie).has(SESSION_COOKIE);
}

/** Opens the upstream socket; resolves with it, or with the upstream's refusal as it answered. */
function openUpstream(url: string, headers: Record<string, string>): Promise<Opened> {
  return new Promise((resolve, reject) => {
    const upstream = new WebSocket(url, {
      headers,
      maxPayload: MAX_UPSTREAM_FRAME,
      handshakeTimeout: ATTACH_MS,
      perMessageDeflate: false,
      followRedirects: false,
    });
    const held: Held = { upstream, queued: [] };
    let settled = false;
    upstream.on("message", (raw, isBinary) => {
      // binaryType stays "nodebuffer", so every frame arrives as one Buffer.
      const data = raw as Buffer;
      if (held.sink) held.sink(data, isBinary);
      else held.queued.push([data, isBinary]);
    });
    upstream.on("open", () => {
      settled = true;
      resolve(held);
    });
    upstream.on("unexpected-response", (request, res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (size <= MAX_REFUSAL_BYTES) chunks.push(c);
      });
      res.on("end", () => {
        settled = true;
        request.destroy();
        resolve({
          status: res.statusCode ?? 502,
          type: res.headers["content-type"] ?? "application/json",
          body: Buffer.concat(chunks),
        });
      });
      res.on("error", reject);
    });
    upstream.on("error", (err) => {
      if (!settled) reject(err);
    });
  });
}

/** A close code `ws` will send: 1005 and 1006 are only ever reported, never sent. */
function sendable(code: number): boolean {
  return (
    (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) ||
    (code >= 3000 && code <= 4999)
  );
}

/** Joins the browser's socket to the upstream's, both ways, and closes each with the other. */
function relay(down: Peer, held: Held, upstreamOrigin: string): void {
  const up = held.upstream;
  const toDown = (data: Buffer, isBinary: boolean) => {
    if (down.readyState !== OPEN) return;
    if (down.bufferedAmount > MAX_BUFFERED_BYTES) {
      down.terminate();
      up.terminate();
      return;
    }
    down.send(data, { binary: isBinary });
  };
  for (const [data, isBinary] of held.queued) toDown(data, isBinary);
  held.queued = [];
  held.sink = toDown;
  up.on("ping", () => {
    // The upstream pings after a silence, so idle proxies keep the socket; so does this hop.
    if (down.readyState === OPEN) down.ping();
  });
  up.on("close", (code, reason) => {
    if (down.readyState !== OPEN) return;
    if (code === 1006) down.close(1014, `The heedy server at ${upstreamOrigin} closed the connection`);
    else down.close(sendable(code) ? code : 1000, reason);
  });
  up.on("error", () => {
    // A close follows, and is relayed.
  });
  if (up.readyState !== OPEN) {
    down.close(1014, `The heedy server at ${upstreamOrigin} closed the connection`);
    return;
  }
  down.on("message", (data, isBinary) => {
    if (up.readyState !== OPEN) return;
    // A browser sending faster than the upstream reads would grow this process's buffer.
    if (up.bufferedAmount > MAX_BUFFERED_BYTES) {
      down.close(1008, "Commands are arriving faster than the heedy server reads them");
      up.terminate();
      return;
    }
    up.send(data, { binary: isBinary });
  });
  down.on("close", (code, reason) => {
    if (up.readyState === OPEN) up.close(sendable(code) ? code : 1000, reason);
    else up.terminate();
  });
}

export function upstreamEventsRoute(
  app: FastifyInstance,
  opts: { base: URL; forward: RouteHandlerMethod; maxSocketsPerSource: number },
): void {
  const { base, forward } = opts;
  const pending = new WeakMap<FastifyRequest, Pending>();
  // Each relayed socket holds two connections and two buffers here: one source (an address, or
  // an IPv6 /64) may hold only so many, as the local events route caps sockets per actor.
  const open = new Map<string, number>();
  const reserve = (source: string): (() => void) => {
    open.set(source, (open.get(source) ?? 0) + 1);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      const n = (open.get(source) ?? 1) - 1;
      if (n > 0) open.set(source, n);
      else open.delete(source);
    };
  };

  app.route({
    method: "GET",
    url: "/api/events",
    // A plain GET goes upstream like any other request.
    handler: forward,
    preValidation: async (req: FastifyRequest, reply: FastifyReply) => {
      if (!req.ws) return;
      if (foreignCookieUpgrade(req)) {
        throw new HttpError(
          403,
          "access_denied: The events socket with a session cookie is for this server's own pages",
        );
      }
      const source = sourceOf(req.ip);
      if ((open.get(source) ?? 0) >= opts.maxSocketsPerSource) {
        throw new HttpError(
          429,
          `too_many_requests: At most ${opts.maxSocketsPerSource} event sockets may be open at once from one address`,
        );
      }
      const release = reserve(source);
      const q = req.url.indexOf("?");
      const target = new URL(`api/events${q < 0 ? "" : req.url.slice(q)}`, base);
      target.protocol = base.protocol === "https:" ? "wss:" : "ws:";
      let opened: Opened;
      try {
        opened = await openUpstream(target.href, forwardedHeaders(req, base.origin));
      } catch (e) {
        release();
        return reply.code(502).send({
          error: "upstream_unreachable",
          error_description: `The heedy server at ${base.origin} could not be reached: ${(e as Error).message}`,
          id: String(req.id),
        });
      }
      if (!("upstream" in opened)) {
        release();
        return reply.code(opened.status).type(opened.type).send(opened.body);
      }
      // The browser may vanish before its upgrade completes; the upstream socket must not linger.
      const timer = setTimeout(() => {
        opened.upstream.terminate();
        release();
      }, ATTACH_MS);
      timer.unref();
      pending.set(req, { held: opened, timer, release });
    },
    wsHandler: (socket, req) => {
      const p = pending.get(req);
      if (!p) {
        socket.close(1011, "The upstream connection was not made");
        return;
      }
      pending.delete(req);
      clearTimeout(p.timer);
      socket.on("close", p.release);
      relay(socket as unknown as Peer, p.held, base.origin);
    },
  });
}
