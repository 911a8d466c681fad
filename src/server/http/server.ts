import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { HttpLimits } from "./limits.js";
import { rawErrorResponse } from "./raw-response.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The Node server under fastify, built here so every bound of `limits` is set where Node applies
 * it, and so a connection over the cap is answered (503) instead of being dropped unseen.
 */
export function createHttpServer(limits: HttpLimits, handler: Handler): Server {
  // Node refuses a headers timeout longer than the request timeout.
  const headersTimeout = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  const refused = new WeakSet<Socket>();
  const server = createServer(
    {
      maxHeaderSize: limits.headerBytes,
      headersTimeout,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // Node only looks for expired requests this often; a quarter of the shortest timeout keeps
      // the overshoot small without polling a busy server needlessly.
      connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(headersTimeout / 4))),
    },
    (req, res) => {
      // The 503 is already on its way; a request parsed meanwhile must not run.
      if (refused.has(req.socket)) {
        req.socket.destroy();
        return;
      }
      handler(req, res);
    },
  );
  let open = 0;
  server.on("connection", (socket: Socket) => {
    if (open >= limits.maxConnections) {
      refused.add(socket);
      socket.on("error", () => {});
      socket.write(
        rawErrorResponse(
          503,
          "unavailable",
          `The server already has ${limits.maxConnections} connections open; try again shortly`,
        ),
      );
      socket.destroySoon();
      return;
    }
    open++;
    socket.once("close", () => {
      open--;
    });
  });
  return server;
}

/**
 * Answers what Node rejects before fastify sees a request (fastify's `clientErrorHandler`): a
 * timeout, headers over the limit (431, or 414 when the request line alone is too long) and
 * anything unparsable (400), all in heedy's error shape.
 */
export function clientErrorHandler(headerBytes: number) {
  return (err: Error & { code?: string }, socket: Socket): void => {
    if (err.code === "ECONNRESET" || socket.destroyed) return;
    let response: string;
    if (err.code === "ERR_HTTP_REQUEST_TIMEOUT") {
      response = rawErrorResponse(408, "request_timeout", "The request was not received in time");
    } else if (err.code === "HPE_HEADER_OVERFLOW") {
      const packet = (err as { rawPacket?: unknown }).rawPacket;
      const lineEnd = Buffer.isBuffer(packet) ? packet.indexOf("\r\n") : -1;
      response =
        lineEnd < 0 || lineEnd >= headerBytes
          ? rawErrorResponse(414, "bad_request", `The request URL is longer than ${headerBytes} bytes`)
          : rawErrorResponse(431, "bad_request", `The request headers are larger than ${headerBytes} bytes`);
    } else {
      response = rawErrorResponse(400, "bad_request", "The request is not valid HTTP");
    }
    // Once part of a response went out, another one would corrupt it: just close.
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) socket.write(response);
    socket.destroySoon();
  };
}
