const POLICY =
  "default-src 'self'; connect-src 'self' http: https: ws: wss:; img-src 'self' data:; style-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * The app's page: the common policy, plus its own inline scripts by hash (`'sha256-…'`, from
 * http/app-page.ts: the first script, which must run while the HTML is parsed). Nothing else
 * inline runs.
 */
export function pageContentSecurityPolicy(scriptHashes: readonly string[]): string {
  return scriptHashes.length === 0 ? POLICY : `${POLICY}; script-src 'self' ${scriptHashes.join(" ")}`;
}

/**
 * Headers every response carries. No inline script (but the page's own first script, allowed by
 * hash: pageContentSecurityPolicy) and no eval; `connect-src` stays open to http(s), and ws(s) for
 * its events socket, because the login screen may point the app at another heedy server.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": POLICY,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
};

/**
 * Query parameters whose values are secrets: tokens (`?access_token=`, contract 2.2) and the
 * login form, which heedy also reads from the query string (2.4).
 */
const SECRET_PARAMS: ReadonlySet<string> = new Set([
  "access_token",
  "password",
  "token",
  "refresh_token",
  "client_secret",
  "code",
]);

function decodedName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, " ")).toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

/**
 * Logged URLs never show a secret. Names are compared decoded, as the server reads them, so
 * `%61ccess_token=` is caught too.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf("?");
  if (q < 0) return url;
  const hash = url.indexOf("#", q);
  const query = url.slice(q + 1, hash < 0 ? undefined : hash);
  const parts = query.split("&").map((part) => {
    const eq = part.indexOf("=");
    const name = eq < 0 ? part : part.slice(0, eq);
    return SECRET_PARAMS.has(decodedName(name)) ? `${name}=[redacted]` : part;
  });
  return `${url.slice(0, q + 1)}${parts.join("&")}`;
}

/**
 * The one script allowed to evaluate generated code: the browser's schema worker, which runs ajv
 * (it compiles schemas with `new Function`). A dedicated worker takes the policy sent with its own
 * script, so the page keeps a policy without `'unsafe-eval'`.
 */
export const SCHEMA_WORKER_PATH = /^\/assets\/schema\.worker-[A-Za-z0-9_-]+\.js$/;

export const SCHEMA_WORKER_CSP = "default-src 'self'; script-src 'self' 'unsafe-eval'; connect-src 'none'";
