/**
 * Response compression (issue 14): gzip or brotli for API answers above 1 KB, streamed reads
 * included (@fastify/compress), and the browser app's assets served precompressed at build time
 * (@fastify/static `preCompressed`, see `src/tools/vite-precompress.ts`).
 *
 * By default ("remote") a client on the loopback interface gets API answers uncompressed: a full
 * 1M-point read over loopback took 0.44-0.66 s plain (26.2 MB) against 1.8-2.2 s in gzip and
 * 2.2-3.1 s in brotli (4.8 MB) on the 2-core dev box, so compression only costs time there; over a
 * home uplink the 5.4x fewer bytes win. Precompressed assets cost nothing to send, so
 * they go to everyone who accepts them.
 */
import { constants } from "node:zlib";
import fastifyCompress from "@fastify/compress";
import type { FastifyInstance, FastifyRequest } from "fastify";

export type CompressionMode = "on" | "off" | "remote";

/** Smaller answers gain less than the encoding costs. */
export const COMPRESS_THRESHOLD_BYTES = 1024;

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

export function isLoopback(req: FastifyRequest): boolean {
  return LOOPBACK.test(req.ip);
}

export async function registerCompression(app: FastifyInstance, mode: CompressionMode): Promise<void> {
  if (mode === "off") return;
  await app.register(fastifyCompress, {
    threshold: COMPRESS_THRESHOLD_BYTES,
    encodings: ["br", "gzip"],
    // Brotli's default quality (11) is for files compressed once; on a live 30 MB read it would
    // cost seconds. Quality 4 compresses better than gzip -6 at about the same speed.
    brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } },
    zlibOptions: { level: 6 },
  });
  if (mode === "remote") {
    // @fastify/compress's own per-request opt-out: set before its onSend hook looks.
    app.addHook("onRequest", async (req) => {
      if (isLoopback(req)) req.headers["x-no-compression"] = "loopback";
    });
  }
}
