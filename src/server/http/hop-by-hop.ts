/** Hop-by-hop headers are about one connection and are never forwarded (RFC 9110 §7.6.1). */
export const HOP_BY_HOP = [
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
] as const;
