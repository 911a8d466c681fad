/**
 * Headers every response carries. The app needs no inline script and no eval; `connect-src` stays
 * open to http(s) because the login screen may point the app at another heedy server.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy":
    "default-src 'self'; connect-src 'self' http: https:; img-src 'self' data:; style-src 'self'; " +
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
};

/** Logged URLs never show a token (`?access_token=` is an authentication input, contract 2.2). */
export function redactUrl(url: string): string {
  return url.replace(/([?&]access_token=)[^&#]*/gi, "$1[redacted]");
}

/**
 * The one script allowed to evaluate generated code: the browser's schema worker, which runs ajv
 * (it compiles schemas with `new Function`). A dedicated worker takes the policy sent with its own
 * script, so the page keeps a policy without `'unsafe-eval'`.
 */
export const SCHEMA_WORKER_PATH = /^\/assets\/schema\.worker-[A-Za-z0-9_-]+\.js$/;

export const SCHEMA_WORKER_CSP = "default-src 'self'; script-src 'self' 'unsafe-eval'; connect-src 'none'";
