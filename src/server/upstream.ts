import { Readable } from "node:stream";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/** Hop-by-hop headers are about one connection and are never forwarded (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
  "content-length",
]);

/**
 * Upstream mode: the app is served here while /api and /auth go to an existing heedy server, so
 * the browser sees one origin and needs no CORS (heedy sends none, contract 1.2).
 */
export async function upstreamRoutes(app: FastifyInstance, { upstream }: { upstream: string }) {
  const base = new URL(upstream.endsWith("/") ? upstream : `${upstream}/`);

  // Bodies pass through untouched, whatever their type.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));

  async function forward(req: FastifyRequest, reply: FastifyReply) {
    const target = new URL(req.url.replace(/^\//, ""), base);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined || HOP_BY_HOP.has(k)) continue;
      headers.set(k, Array.isArray(v) ? v.join(", ") : v);
    }
    let res: Response;
    try {
      res = await fetch(target, {
        method: req.method,
        headers,
        body:
          req.method === "GET" || req.method === "HEAD" || !req.body
            ? undefined
            : new Blob([new Uint8Array(req.body as Buffer)]),
        redirect: "manual",
      });
    } catch (e) {
      return reply.code(502).send({
        error: "upstream_unreachable",
        error_description: `The heedy server at ${base.origin} could not be reached: ${(e as Error).message}`,
        id: String(req.id),
      });
    }
    reply.code(res.status);
    for (const [k, v] of res.headers) {
      if (HOP_BY_HOP.has(k) || k === "content-encoding" || k === "set-cookie") continue;
      reply.header(k, v);
    }
    // Cookies are re-scoped to this origin: the upstream's Domain attribute would not match it.
    for (const cookie of res.headers.getSetCookie()) {
      reply.header("set-cookie", cookie.replace(/;\s*domain=[^;]*/i, ""));
    }
    if (!res.body) return reply.send();
    return reply.send(Readable.fromWeb(res.body as import("node:stream/web").ReadableStream<Uint8Array>));
  }

  for (const prefix of ["/api/*", "/auth/*"]) {
    app.route({ method: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"], url: prefix, handler: forward });
  }
}
