/**
 * The built app's fingerprinted assets (`assets/`), served from memory. Their names change with
 * their content, so they are read once at start-up (with the .br and .gz the build wrote beside
 * them) and never again. @fastify/static makes several file-system calls per request (stat, the
 * compressed variant, open, read), each a trip through libuv's thread pool; on a small busy machine
 * a cold page's scripts queued behind those trips while its first reads were being answered.
 * Everything else in the app folder (index.html aside, app-page.ts) stays with @fastify/static.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

const TYPES: Readonly<Record<string, string>> = {
  ".js": "application/javascript; charset=utf-8",
  ".mjs": "application/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".wasm": "application/wasm",
  ".txt": "text/plain; charset=utf-8",
};

/** Above this the folder is not what a Vite build writes: serve it from disk instead. */
export const MAX_ASSET_BYTES = 64 * 1024 * 1024;

export interface MemoryAsset {
  type: string;
  etag: string;
  lastModified: string;
  identity: Buffer;
  br?: Buffer;
  gzip?: Buffer;
}

/** Reads every asset of `dir` (one level: Vite writes a flat folder), or undefined when too big. */
export function loadAssets(dir: string, maxBytes = MAX_ASSET_BYTES): Map<string, MemoryAsset> | undefined {
  const assets = new Map<string, MemoryAsset>();
  let total = 0;
  const names = readdirSync(dir);
  const present = new Set(names);
  for (const name of names) {
    if (name.endsWith(".br") || name.endsWith(".gz")) continue;
    const path = join(dir, name);
    const info = statSync(path);
    if (!info.isFile()) continue;
    const identity = readFileSync(path);
    const br = present.has(`${name}.br`) ? readFileSync(`${path}.br`) : undefined;
    const gzip = present.has(`${name}.gz`) ? readFileSync(`${path}.gz`) : undefined;
    total += identity.length + (br?.length ?? 0) + (gzip?.length ?? 0);
    if (total > maxBytes) return undefined;
    assets.set(name, {
      type: TYPES[extname(name)] ?? "application/octet-stream",
      etag: `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`,
      lastModified: info.mtime.toUTCString(),
      identity,
      ...(br ? { br } : {}),
      ...(gzip ? { gzip } : {}),
    });
  }
  return assets;
}

/** The encoding to answer with: brotli, then gzip, when the request accepts it (q > 0). */
export function pickEncoding(
  acceptEncoding: string | undefined,
  asset: MemoryAsset,
): "br" | "gzip" | undefined {
  if (!acceptEncoding) return undefined;
  const accepted = new Set<string>();
  for (const part of acceptEncoding.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    if (name && !(q && Number(q.slice(2)) === 0)) accepted.add(name);
  }
  if (asset.br && (accepted.has("br") || accepted.has("*"))) return "br";
  if (asset.gzip && (accepted.has("gzip") || accepted.has("*"))) return "gzip";
  return undefined;
}

/** Serves `assets` under `/assets/`; unknown names go to the not-found handler. */
export function registerMemoryAssets(app: FastifyInstance, assets: Map<string, MemoryAsset>): void {
  const handler = async (req: FastifyRequest<{ Params: { name: string } }>, reply: FastifyReply) => {
    const asset = assets.get(req.params.name);
    if (!asset) return reply.callNotFound();
    const encoding = pickEncoding(req.headers["accept-encoding"], asset);
    reply
      .header("content-type", asset.type)
      .header("cache-control", "public, max-age=31536000, immutable")
      .header("etag", asset.etag)
      .header("last-modified", asset.lastModified)
      .header("vary", "accept-encoding");
    if (req.headers["if-none-match"] === asset.etag) return reply.code(304).send();
    if (encoding) reply.header("content-encoding", encoding);
    return reply.send(encoding ? asset[encoding] : asset.identity);
  };
  app.get("/assets/:name", handler);
}
