import type { IncomingHttpHeaders } from "node:http";
import replyFrom from "@fastify/reply-from";
import fastifyWebsocket from "@fastify/websocket";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { HttpError } from "./http/errors.js";
import { HOP_BY_HOP } from "./http/hop-by-hop.js";
import { upstreamEventsRoute } from "./upstream-events.js";

const FORWARDED_PREFIXES = ["/api/", "/auth/"];

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out = { ...headers };
  for (const name of HOP_BY_HOP) delete out[name];
  return out;
}

/**
 * The request path with repeated slashes collapsed, or a refusal. Only origin-form targets
 * (`/path?query`) are served: an absolute-form target (`GET http://other/...`) would otherwise
 * name a host of the client's choosing. Dot segments are refused in any spelling (`..`, `%2e%2e`,
 * `%2E.`), so a path that starts under /api/ can never resolve outside it upstream.
 */
export function normalisedPath(url: string): string {
  if (!url.startsWith("/")) {
    throw new HttpError(400, "bad_request: The request target must be a path starting with /");
  }
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  for (const segment of path.split("/")) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw new HttpError(400, "bad_request: The request path is not valid percent-encoding");
    }
    if (decoded === "." || decoded === ".." || decoded.includes("/") || decoded.includes("\\")) {
      throw new HttpError(400, "bad_request: The request path must not contain . or .. segments");
    }
  }
  return path.replace(/\/{2,}/g, "/");
}

/**
 * Refuses unsafe request targets before routing, for every path: the static app's not-found
 * fallback would otherwise answer them too.
 */
export async function refuseUnsafeTargets(req: FastifyRequest): Promise<void> {
  normalisedPath(req.url);
}

/**
 * Upstream mode: the app is served here while /api and /auth go to an existing heedy server, so
 * the browser sees one origin and needs no CORS (heedy sends none, contract 1.2). Bodies stream
 * both ways, so an insert of any size passes as heedy would take it (1.6: no limit on inserts).
 */
export async function upstreamRoutes(
  app: FastifyInstance,
  {
    upstream,
    eventMessageBytes,
    eventSockets,
  }: { upstream: string; eventMessageBytes: number; eventSockets: number },
) {
  const base = new URL(upstream.endsWith("/") ? upstream : `${upstream}/`);

  // The events socket is relayed too (upstream-events.ts), so the app stays live.
  await app.register(fastifyWebsocket, { options: { maxPayload: eventMessageBytes } });
  await app.register(replyFrom, {
    base: base.href,
    // reply-from turns certificate checks off by default (its `tls` option); `connect` wins over
    // it in undici, so an upstream heedy over TLS is verified as fetch did.
    undici: { connect: { rejectUnauthorized: true } },
    disableRequestLogging: true,
  });

  // Bodies pass through untouched and unparsed, whatever their type: the handler gets the stream.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", (_req, payload, done) => done(null, payload));

  function forward(req: FastifyRequest, reply: FastifyReply) {
    const path = normalisedPath(req.url);
    if (!FORWARDED_PREFIXES.some((p) => path.startsWith(p))) {
      throw new HttpError(404, "not_found: The given endpoint is not available");
    }
    // Relative to the base, so a base with a path (https://host/heedy/) keeps it.
    return reply.from(path.slice(1), {
      rewriteRequestHeaders: (_req, headers) => withoutHopByHop(headers),
      rewriteHeaders: (headers) => {
        const out = withoutHopByHop(headers);
        // Cookies are re-scoped to this origin: the upstream's Domain attribute would not match it.
        const cookies = out["set-cookie"];
        // undici gives one cookie as a string, several as an array.
        if (cookies !== undefined) {
          out["set-cookie"] = ([] as string[]).concat(cookies).map((c) => c.replace(/;\s*domain=[^;]*/i, ""));
        }
        return out;
      },
      // A proxied request is sent once: heedy's answer, whatever it is, goes back as it came.
      retryDelay: () => null,
      onError: (r, { error }) => {
        const cause = (error as { cause?: Error }).cause ?? error;
        r.code(502).send({
          error: "upstream_unreachable",
          error_description: `The heedy server at ${base.origin} could not be reached: ${cause.message}`,
          id: String(r.request.id),
        });
      },
    });
  }

  upstreamEventsRoute(app, { base, forward, maxSocketsPerSource: eventSockets });
  for (const prefix of ["/api/*", "/auth/*"]) {
    app.route({ method: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"], url: prefix, handler: forward });
  }
}
