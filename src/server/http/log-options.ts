import type { FastifyServerOptions } from "fastify";
import { redactUrl } from "./security.js";

type LoggerOption = FastifyServerOptions["logger"];

/** Wherever a request, its headers or a login form could end up in a log line. */
const SECRET_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-heedy-key"]',
  "headers.authorization",
  "headers.cookie",
  'headers["x-heedy-key"]',
  'res.headers["set-cookie"]',
  "body.password",
  "body.access_token",
  "req.body",
];

interface RawRequestish {
  method?: string;
  url?: string;
  socket?: { remoteAddress?: string };
}

/**
 * The server's logger settings on top of the caller's: secrets in headers are censored and a
 * logged request shows only its method, redacted URL and peer, never headers or body.
 */
export function safeLoggerOptions(logger: LoggerOption): LoggerOption {
  if (logger === undefined || logger === false) return false;
  const base = logger === true ? {} : logger;
  const callerPaths = Array.isArray(base.redact) ? base.redact : (base.redact?.paths ?? []);
  return {
    level: "info",
    ...base,
    redact: { paths: [...new Set([...SECRET_PATHS, ...callerPaths])], censor: "[redacted]" },
    serializers: {
      ...base.serializers,
      req: (req: RawRequestish) => ({
        method: req.method,
        url: redactUrl(req.url ?? ""),
        remoteAddress: req.socket?.remoteAddress,
      }),
    },
  };
}
