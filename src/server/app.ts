import { randomInt } from "node:crypto";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import fastifyStatic from "@fastify/static";
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from "fastify";
import { checkJsonSchema } from "../core/schema.js";
import type { ServerContext } from "./context.js";
import { authenticate } from "./http/auth.js";
import { HttpError } from "./http/errors.js";
import { redactUrl, SCHEMA_WORKER_CSP, SCHEMA_WORKER_PATH, SECURITY_HEADERS } from "./http/security.js";
import { LoginLimiter } from "./login-limiter.js";
import type { SchemaChecker } from "./object-meta.js";
import { appRoutes } from "./routes/apps.js";
import { authRoutes } from "./routes/auth.js";
import { kvRoutes } from "./routes/kv.js";
import { objectRoutes } from "./routes/objects.js";
import { serverInfoRoutes } from "./routes/server-info.js";
import { timeseriesRoutes } from "./routes/timeseries.js";
import { userSettingsRoutes } from "./routes/user-settings.js";
import { userRoutes } from "./routes/users.js";
import { refuseUnsafeTargets, upstreamRoutes } from "./upstream.js";

export interface BuildOptions {
  /** The local API; omit together with `upstream` to only serve the app. */
  ctx?: ServerContext;
  /** Forward /api and /auth to this heedy server instead of answering them (upstream mode). */
  upstream?: string;
  /** Built browser app to serve at `/`; skipped when the folder does not exist. */
  staticDir?: string;
  logger?: FastifyServerOptions["logger"];
  /** Request body limit in bytes (heedy: 4,000,000, contract 1.6). */
  bodyLimit?: number;
  loginLimiter?: LoginLimiter;
}

const XID_ALPHABET = "0123456789abcdefghijklmnopqrstuv";

/** heedy request ids are 20-character xids (contract 1.4); random ones of the same shape do. */
function requestId(): string {
  let id = "";
  for (let i = 0; i < 20; i++) id += XID_ALPHABET[randomInt(32)];
  return id;
}

export async function buildApp(opts: BuildOptions): Promise<FastifyInstance> {
  const bodyLimit = opts.bodyLimit ?? 4_000_000;
  const app = Fastify({
    logger: opts.logger ?? false,
    genReqId: requestId,
    bodyLimit,
    // One line per request is written by the onResponse hook below, with the URL redacted.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { maxParamLength: 500 },
  });

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
  const isLogin = (url: string) => url.split("?")[0] === "/auth/token";
  const parseJson = (text: string, done: (err: Error | null, body?: unknown) => void) => {
    if (text.trim() === "") return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      done(new HttpError(400, `invalid JSON: ${(e as Error).message}`), undefined);
    }
  };
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (req, body, done) =>
    isLogin(req.url) ? done(null, body) : parseJson(String(body), done),
  );
  app.addContentTypeParser("*", { parseAs: "string" }, (req, body, done) =>
    isLogin(req.url) ? done(null, undefined) : parseJson(String(body), done),
  );

  app.addHook("onSend", async (req, reply, payload) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.header(k, v);
    if (SCHEMA_WORKER_PATH.test(req.url)) reply.header("content-security-policy", SCHEMA_WORKER_CSP);
    const type = String(reply.getHeader("content-type") ?? "");
    if (type.startsWith("application/json")) {
      reply.header("content-type", "application/json; charset=utf-8");
      reply.header("cache-control", "no-store");
    } else if (req.url.startsWith("/api/")) {
      reply.header("cache-control", "no-store");
    }
    return payload;
  });

  app.setErrorHandler((err: Error, req, reply) => {
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
        error_description: `The request body is larger than ${bodyLimit} bytes`,
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
    await app.register(upstreamRoutes, { upstream: opts.upstream });
  } else if (opts.ctx) {
    const ctx = opts.ctx;
    app.addHook("onRequest", async (req, reply) => {
      if (
        req.url.startsWith("/api/") ||
        req.url.startsWith("/auth/") ||
        req.url.startsWith("/frontend_context")
      ) {
        await authenticate(ctx, req, reply);
      }
    });
    const checkSchema: SchemaChecker = (schema) => {
      const problem = checkJsonSchema(schema);
      return problem ? `${problem.path ? `${problem.path}: ` : ""}${problem.message}` : undefined;
    };
    await app.register(serverInfoRoutes, { ctx });
    await app.register(authRoutes, {
      ctx,
      limiter: opts.loginLimiter ?? new LoginLimiter(),
      failureDelayMs: ctx.authFailureDelayMs,
    });
    await app.register(userRoutes, { ctx });
    await app.register(userSettingsRoutes, { ctx });
    await app.register(appRoutes, { ctx });
    await app.register(objectRoutes, { ctx, checkSchema });
    await app.register(timeseriesRoutes, { ctx });
    await app.register(kvRoutes, { ctx });
  }

  const staticDir = opts.staticDir ? resolve(opts.staticDir) : undefined;
  const hasApp = staticDir !== undefined && existsSync(resolve(staticDir, "index.html"));
  if (hasApp) {
    await app.register(fastifyStatic, {
      root: staticDir,
      wildcard: false,
      index: false,
      setHeaders(res, path) {
        // Vite fingerprints everything under assets/, so those never change.
        if (path.includes("/assets/")) res.header("cache-control", "public, max-age=31536000, immutable");
      },
    });
  }

  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith("/api/") || req.url === "/api" || req.url.startsWith("/auth/")) {
      // 1.1: unknown API routes and wrong methods are 404 not_found, never 405.
      return reply.code(404).send({
        error: "not_found",
        error_description: "The given endpoint is not available",
        id: String(req.id),
      });
    }
    if (hasApp && (req.method === "GET" || req.method === "HEAD")) {
      const path = req.url.split("?")[0]!;
      // A path with a file extension is a missing asset, not a client-side route.
      if (!/\.[a-z0-9]+$/i.test(path)) {
        // The shell must be revalidated so a new build's asset names are picked up at once.
        reply.header("cache-control", "no-cache");
        return reply.sendFile("index.html", { cacheControl: false });
      }
    }
    return reply.code(404).type("text/plain; charset=utf-8").send("404 page not found\n");
  });

  return app;
}
