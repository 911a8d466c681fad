import type { FastifyRequest } from "fastify";

const SAFE_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS"]);

export function changesState(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

/**
 * Did this request come from a page of this very origin? Browsers send `Sec-Fetch-Site` or, on
 * every state-changing request, `Origin`; a request with neither is not from a browser, and
 * non-browser clients authenticate with tokens, not cookies. A page on another port of the same
 * host is "same-site", so SameSite cookies alone do not stop it; the exact origin must match.
 */
export function fromOwnOrigin(req: FastifyRequest): boolean {
  const site = header(req, "sec-fetch-site");
  if (site !== undefined) return site === "same-origin" || site === "none";
  const origin = header(req, "origin");
  if (origin === undefined || origin === "null") return false;
  try {
    const own = new URL(`${req.protocol}://${req.host}`);
    const theirs = new URL(origin);
    return theirs.protocol === own.protocol && theirs.host === own.host;
  } catch {
    return false;
  }
}
