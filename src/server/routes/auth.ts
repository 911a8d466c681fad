import { randomBytes } from "node:crypto";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { ServerContext } from "../context.js";
import { todayUTC } from "../dates.js";
import { SESSION_END } from "../events/bus.js";
import { parseCookies, SESSION_COOKIE } from "../http/auth.js";
import { fromOwnOrigin } from "../http/csrf.js";
import { rawQuery } from "../http/query.js";
import { clearSessionCookie, pruneSessions, setSessionCookie } from "../http/session.js";
import type { LoginLimiter } from "../login-limiter.js";
import { hashPassword, hashToken, newToken, verifyPassword } from "../secrets.js";

/** /auth/token answers OAuth-style bodies without a request id (contract 2.4). */
function oauthError(reply: FastifyReply, status: number, error: string, description: string) {
  return reply.code(status).send({ error, error_description: description });
}

/**
 * A hash of the same cost as real ones, checked when the username is unknown, so an unknown name
 * takes as long to refuse as a wrong password and the timing does not tell which names exist.
 */
let dummyHash: Promise<string> | undefined;
const unknownUserHash = () => {
  dummyHash ??= hashPassword(randomBytes(16).toString("base64"));
  return dummyHash;
};

export async function authRoutes(
  app: FastifyInstance,
  { ctx, limiter, failureDelayMs }: { ctx: ServerContext; limiter: LoginLimiter; failureDelayMs: number },
) {
  // Made now rather than on the first unknown name, which would otherwise take twice as long.
  await unknownUserHash();
  app.post("/auth/token", async (req, reply) => {
    // A login another site's page makes would sign the browser in to the attacker's account.
    // Clients that are not browsers send neither header and are let through.
    const browser = req.headers.origin !== undefined || req.headers["sec-fetch-site"] !== undefined;
    if (browser && !fromOwnOrigin(req)) {
      return oauthError(reply, 403, "access_denied", "Log in from this server's own pages");
    }
    // heedy reads form fields from the urlencoded body and from the query string (contract 2.4).
    const fields = new URLSearchParams(rawQuery(req.url));
    if (typeof req.body === "string") {
      for (const [k, v] of new URLSearchParams(req.body)) fields.set(k, v);
    }
    if (fields.get("grant_type") !== "password") {
      return oauthError(reply, 400, "unsupported_grant_type", "Grant type not supported");
    }
    const username = fields.get("username") ?? "";
    const password = fields.get("password") ?? "";
    if (username === "" || password === "") {
      return oauthError(reply, 400, "parameter_absent", "Must have both username and password");
    }
    // Reserved before the first await: parallel guesses are counted before any of them is checked.
    const attempt = limiter.begin(username, req.ip);
    if ("retryAfterS" in attempt) {
      const wait = attempt.retryAfterS;
      reply.header("retry-after", String(wait));
      return oauthError(reply, 429, "access_denied", `Too many failed logins; try again in ${wait} seconds`);
    }
    let user: Awaited<ReturnType<typeof ctx.store.users.get>>;
    let ok = false;
    try {
      user = await ctx.store.users.get(username);
      const checked = await verifyPassword(password, user?.password_hash ?? (await unknownUserHash()));
      ok = user !== undefined && checked;
    } finally {
      if (ok) attempt.succeeded();
      else attempt.failed();
    }
    if (!ok || user === undefined) {
      await new Promise((r) => setTimeout(r, failureDelayMs));
      return oauthError(reply, 400, "access_denied", "Wrong username or password");
    }
    const now = Date.now();
    await pruneSessions(ctx.store.sessions, ctx.sessionPolicy, now);
    const token = newToken();
    const today = todayUTC(new Date(now));
    await ctx.store.sessions.create(
      {
        sessionid: randomBytes(9).toString("base64url"),
        username: user.username,
        description: req.headers["user-agent"] ?? "",
        created_date: today,
        last_access_date: today,
        created_at: now,
        used_at: now,
      },
      hashToken(token),
    );
    setSessionCookie(req, reply, token, ctx.sessionPolicy);
    return { access_token: token, token_type: "bearer" };
  });

  // Logout changes state, so it is a POST (heedy uses GET, which any page could trigger).
  app.post("/auth/logout", async (req, reply) => {
    const cookie = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    if (cookie) {
      const session = await ctx.store.sessions.byTokenHash(hashToken(cookie));
      if (session && (await ctx.store.sessions.delete(session.sessionid))) {
        // Sockets opened with this session close, on every process.
        ctx.events.publish({ event: SESSION_END, user: session.username });
      }
    }
    clearSessionCookie(req, reply);
    reply.header("clear-site-data", '"cookies"');
    return { result: "ok" };
  });
}
