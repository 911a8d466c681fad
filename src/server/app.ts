import { existsSync } from "node:fs";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { resolve } from "node:path";
import fastifyStatic from "@fastify/static";
import fastifyWebsocket from "@fastify/websocket";
import Fastify, {
  type FastifyInstance,
  type FastifyRequest,
  type FastifyServerOptions,
  LogController,
} from "fastify";
import type { ServerContext } from "./context.js";
import { appPage, matchesEtag } from "./http/app-page.js";
import { authenticate } from "./http/auth.js";
import { parseJsonBody } from "./http/body.js";
import { bodyIdleTimeout, insertAccessCheck } from "./http/body-guard.js";
import { type CompressionMode, registerCompression } from "./http/compression.js";
import { HttpError } from "./http/errors.js";
import { DEFAULT_LIMITS, type HttpLimits } from "./http/limits.js";
import { safeLoggerOptions } from "./http/log-options.js";
import { loadAssets, registerMemoryAssets } from "./http/memory-assets.js";
import { rawError } from "./http/raw-response.js";
import { requestId } from "./http/request-id.js";
import { recordRoutes } from "./http/route-table.js";
import { redactUrl, SCHEMA_WORKER_CSP, SCHEMA_WORKER_PATH, SECURITY_HEADERS } from "./http/security.js";
import { clientErrorHandler, createHttpServer } from "./http/server.js";
import { storageError } from "./http/storage-errors.js";
import { LoginLimiter } from "./login-limiter.js";
import { adminRoutes } from "./routes/admins.js";
import { appRoutes } from "./routes/apps.js";
import { authRoutes } from "./routes/auth.js";
import { eventRoutes } from "./routes/events.js";
import { kvRoutes } from "./routes/kv.js";
import { objectRoutes } from "./routes/objects.js";
import { serverCapabilities, serverInfoRoutes } from "./routes/server-info.js";
import { testPluginRoutes } from "./routes/test-plugin.js";
import { timeseriesRoutes } from "./routes/timeseries.js";
import { userSettingsRoutes } from "./routes/user-settings.js";
import { userRoutes } from "./routes/users.js";
import { refuseUnsafeTargets, upstreamRoutes } from "./upstream.js";
import { checkUserSchema } from "./validate.js";

export interface BuildOptions {
  /** The local API; omit together with `upstream` to only serve the app. */
  ctx?: ServerContext;
  /** Forward /api and /auth to this heedy server instead of answering them (upstream mode). */
  upstream?: string;
  /** Built browser app to serve at `/`; skipped when the folder does not exist. */
  staticDir?: string;
  logger?: FastifyServerOptions["logger"];
  /** Bounds of the HTTP edge; by default the data folder's (`ctx.limits`), else the defaults. */
  limits?: Partial<HttpLimits>;
  loginLimiter?: LoginLimiter;
  /**
   * gzip/brotli for API answers: "remote" (default) compresses for every client but one on
   * loopback, where it only costs time; "on" for all; "off" for none. Precompressed assets are
   * served whatever this says.
   */
  compression?: CompressionMode;
  /**
   * heedy's test hook for its plugin tests (contract 13): serve the plugin configuration, key
   * included, at `GET /api/testplugin`. Test rigs only.
   */
  testPlugin?: boolean;
  /** Behind a reverse proxy: believe its X-Forwarded-* (https decides the cookie's Secure). */
  trustProxy?: FastifyServerOptions["trustProxy"];
}

/** The routes of a timeseries insert, whose body may be far larger than any other. */
const INSERT_ROUTE = /^\/api\/objects\/:id\/(timeseries|data)$/;

/**
 * The path the router matched (its pattern), else the request's path decoded once. Decisions
 * about a request (authenticate? API or app?) use this, never the raw URL, so a spelling such as
 * `/%61pi/objects` is treated exactly like the `/api/objects` route it reaches.
 */
function routePath(req: FastifyRequest): string {
  const route = req.routeOptions.url;
  if (route !== undefined) return route;
  const path = req.url.split("?")[0] ?? "";
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

const isApiPath = (path: string) => path === "/api" || path.startsWith("/api/");
const needsAuthentication = (path: string) =>
  isApiPath(path) || path.startsWith("/auth/") || path === "/frontend_context";

export async function buildApp(opts: BuildOptions): Promise<FastifyInstance> {
  const limits: HttpLimits = { ...DEFAULT_LIMITS, ...opts.ctx?.limits, ...opts.limits };
  const app = Fastify<Server, IncomingMessage, ServerResponse>({
    logger: safeLoggerOptions(opts.logger),
    genReqId: requestId,
    bodyLimit: limits.bodyBytes,
    trustProxy: opts.trustProxy ?? false,
    // One line per request is written by the onResponse hook below, with the URL redacted.
    logController: new LogController({ disableRequestLogging: true }),
    // A longer parameter matches no route: a 404, as heedy answers unknown paths.
    routerOptions: { maxParamLength: 500 },
    serverFactory: (handler) => createHttpServer(limits, handler),
    clientErrorHandler: clientErrorHandler(limits.headerBytes),
    // A path with broken percent-encoding never reaches a route.
    frameworkErrors: (err, req, reply) => {
      const { body, headers } = rawError("bad_request", err.message, String(req.id));
      // A HEAD answer has headers only; a body after them would corrupt the connection.
      reply.raw.writeHead(400, headers).end(req.method === "HEAD" ? undefined : body);
    },
  });
  recordRoutes(app);

  // Absolute-form targets (`GET http://host/api/...`) are for proxies; refusing them keeps one
  // spelling of every path, and no answer depends on a Host the client chose.
  app.addHook("onRequest", async (req) => {
    if (!req.raw.url?.startsWith("/")) {
      throw new HttpError(400, "bad_request: The request target must be a path starting with /");
    }
  });
  app.addHook("preParsing", bodyIdleTimeout(limits.bodyIdleTimeoutMs));
  await registerCompression(app, opts.compression ?? "remote");

  if (opts.logger) {
    app.addHook("onResponse", async (req, reply) => {
      req.log.info(
        {
          method: req.method,
          url: redactUrl(req.url),
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime),
        },
        "request",
      );
    });
  }

  // heedy's Python client sends Content-Type: application/json on every request, bodiless GETs
  // and DELETEs included, and heedy ignores Content-Type anyway (contract 1.6): API handlers read
  // JSON whatever the header says (so `curl -d '{...}'` works). Only /auth/token reads a form, and
  // only from a urlencoded body; it ignores any other body (2.4).
  const isLogin = (req: FastifyRequest) => req.routeOptions.url === "/auth/token";
  const parseJson = (text: string, done: (err: Error | null, body?: unknown) => void) => {
    if (text.trim() === "") return done(null, undefined);
    try {
      done(null, parseJsonBody(text));
    } catch (e) {
      done(e as HttpError, undefined);
    }
  };
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (req, body, done) =>
    isLogin(req) ? done(null, body) : parseJson(String(body), done),
  );
  app.addContentTypeParser("*", { parseAs: "string" }, (req, body, done) =>
    isLogin(req) ? done(null, undefined) : parseJson(String(body), done),
  );

  /** The policy of each answer that is the app's page (set by the not-found handler below). */
  const pagePolicies = new WeakMap<FastifyRequest, string>();
  app.addHook("onSend", async (req, reply, payload) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.header(k, v);
    const path = routePath(req);
    // The app's page has its own (its inline first script by hash, http/app-page.ts).
    const pagePolicy = pagePolicies.get(req);
    if (pagePolicy) reply.header("content-security-policy", pagePolicy);
    // The address itself: assets are one route (http/memory-assets.ts), `/assets/:name`.
    if (SCHEMA_WORKER_PATH.test(req.url.split("?")[0] ?? ""))
      reply.header("content-security-policy", SCHEMA_WORKER_CSP);
    const type = String(reply.getHeader("content-type") ?? "");
    if (type.startsWith("application/json")) {
      reply.header("content-type", "application/json; charset=utf-8");
      reply.header("cache-control", "no-store");
    } else if (isApiPath(path)) {
      reply.header("cache-control", "no-store");
    }
    // Answered before its body arrived (refused, too large, timed out): closing is the only way
    // not to read the rest of an upload nobody wants.
    if (!req.raw.complete) reply.header("connection", "close");
    return payload;
  });

  app.setErrorHandler((thrown: Error, req, reply) => {
    const stored = storageError(thrown);
    if (stored && stored.status !== 400)
      req.log.warn({ err: thrown, url: redactUrl(req.url) }, "database not writable");
    const err = stored ?? thrown;
    if (err instanceof HttpError) {
      const body = err.body(String(req.id));
      // 6.2: POST /api/objects reports unreadable bodies as read_error.
      if (
        req.method === "POST" &&
        req.routeOptions.url === "/api/objects" &&
        err.message.startsWith("invalid JSON:")
      ) {
        body.error = "read_error";
      }
      reply.headers(err.headers);
      return reply.code(err.status).send(body);
    }
    const code = (err as { code?: string }).code;
    const id = String(req.id);
    if (code === "FST_ERR_CTP_BODY_TOO_LARGE") {
      return reply.code(413).send({
        error: "bad_request",
        error_description: `The request body is larger than ${req.routeOptions.bodyLimit} bytes`,
        id,
      });
    }
    if (/constraint failed/i.test(err.message)) {
      return reply.code(400).send({ error: "server_error", error_description: err.message, id });
    }
    const status = (err as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return reply.code(status).send({ error: "bad_request", error_description: err.message, id });
    }
    req.log.error({ err, url: redactUrl(req.url) }, "internal error");
    return reply
      .code(500)
      .send({ error: "server_error", error_description: "An internal error occurred", id });
  });

  if (opts.upstream) {
    app.addHook("onRequest", refuseUnsafeTargets);
    await app.register(upstreamRoutes, {
      upstream: opts.upstream,
      eventMessageBytes: limits.eventMessageBytes,
      eventSockets: limits.eventSockets,
    });
  } else if (opts.ctx) {
    const ctx = opts.ctx;
    // At the root, so an upgrade aimed at any other route is closed rather than left hanging;
    // before the auth hook, whose refusals must also end the upgraded socket.
    await app.register(fastifyWebsocket, { options: { maxPayload: limits.eventMessageBytes } });
    // Keyed on the route the router chose, so every spelling that reaches an API route is
    // authenticated; onRequest runs before any body is read.
    app.addHook("onRequest", async (req, reply) => {
      if (needsAuthentication(routePath(req))) await authenticate(ctx, req, reply);
    });
    app.addHook("onRoute", (route) => {
      const methods = [route.method].flat();
      if (methods.includes("POST") && INSERT_ROUTE.test(route.url)) {
        route.bodyLimit = limits.insertBodyBytes;
        route.preParsing = [route.preParsing ?? []].flat().concat(insertAccessCheck(ctx));
      }
    });
    await app.register(eventRoutes, { ctx, limits });
    await app.register(serverInfoRoutes, { ctx });
    await app.register(authRoutes, {
      ctx,
      limiter: opts.loginLimiter ?? new LoginLimiter(),
      failureDelayMs: ctx.authFailureDelayMs,
    });
    await app.register(userRoutes, { ctx });
    await app.register(adminRoutes, { ctx });
    await app.register(userSettingsRoutes, { ctx });
    await app.register(appRoutes, { ctx });
    await app.register(objectRoutes, { ctx, checkSchema: checkUserSchema });
    await app.register(timeseriesRoutes, { ctx });
    await app.register(kvRoutes, { ctx });
    if (opts.testPlugin) await app.register(testPluginRoutes, { ctx });
  }

  const staticDir = opts.staticDir ? resolve(opts.staticDir) : undefined;
  const hasApp = staticDir !== undefined && existsSync(resolve(staticDir, "index.html"));
  if (hasApp) {
    const assetDir = resolve(staticDir, "assets");
    const assets = existsSync(assetDir) ? loadAssets(assetDir) : undefined;
    if (assets) registerMemoryAssets(app, assets);
    await app.register(fastifyStatic, {
      root: staticDir,
      wildcard: false,
      index: false,
      // index.html only as the app's page (below: capabilities, its own policy), never raw.
      globIgnore: ["index.html", ...(assets ? ["assets/**"] : [])],
      // The build writes .br and .gz beside each asset (src/tools/vite-precompress.ts).
      preCompressed: true,
      setHeaders(res, path) {
        // Vite fingerprints everything under assets/, so those never change.
        if (path.includes("/assets/")) res.header("cache-control", "public, max-age=31536000, immutable");
      },
    });
  }

  // The local API's capabilities go into the page; an upstream's are that server's to state.
  const page =
    hasApp && staticDir
      ? appPage(staticDir, opts.ctx && !opts.upstream ? serverCapabilities(opts.ctx) : undefined)
      : undefined;
  app.setNotFoundHandler(async (req, reply) => {
    const path = routePath(req);
    if (isApiPath(path) || path.startsWith("/auth/")) {
      // 1.1: unknown API routes and wrong methods are 404 not_found, never 405.
      return reply.code(404).send({
        error: "not_found",
        error_description: "The given endpoint is not available",
        id: String(req.id),
      });
    }
    if (page && (req.method === "GET" || req.method === "HEAD")) {
      // A path with a file extension is a missing asset, not a client-side route.
      if (!/\.[a-z0-9]+$/i.test(path)) {
        const current = await page();
        if (current) {
          // The shell must be revalidated so a new build's asset names are picked up at once.
          reply.header("cache-control", "no-cache").header("etag", current.etag);
          pagePolicies.set(req, current.policy);
          if (matchesEtag(req.headers["if-none-match"], current.etag)) return reply.code(304).send();
          return reply.type("text/html; charset=utf-8").send(current.html);
        }
      }
    }
    return reply.code(404).type("text/plain; charset=utf-8").send("404 page not found\n");
  });

  return app;
}
