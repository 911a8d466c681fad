/**
 * A Vite build step: writes `.gz` and `.br` beside every compressible asset of the build, at the
 * best settings (once per build, not per request), for @fastify/static's `preCompressed`.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import type { Plugin } from "vite";

const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|webmanifest|txt|map)$/;
/** Below this, the headers of an encoded answer cost about what they save. */
const MIN_BYTES = 1024;

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

/** Compresses every eligible file under `dir`; returns what it wrote, for the bench. */
export function precompressDir(dir: string): { file: string; raw: number; gzip: number; brotli: number }[] {
  const out: { file: string; raw: number; gzip: number; brotli: number }[] = [];
  for (const file of files(dir)) {
    if (!COMPRESSIBLE.test(file)) continue;
    const raw = readFileSync(file);
    if (raw.length < MIN_BYTES) continue;
    const gz = gzipSync(raw, { level: 9 });
    const br = brotliCompressSync(raw, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      },
    });
    // An encoding that does not shrink the file would only cost the client a decode.
    if (gz.length < raw.length) writeFileSync(`${file}.gz`, gz);
    if (br.length < raw.length) writeFileSync(`${file}.br`, br);
    out.push({ file, raw: raw.length, gzip: gz.length, brotli: br.length });
  }
  return out;
}

export function precompress(): Plugin {
  let outDir = "dist";
  return {
    name: "heedy-explorer:precompress",
    apply: "build",
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      precompressDir(outDir);
    },
  };
}
