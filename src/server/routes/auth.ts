import { randomBytes } from "node:crypto";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { ServerContext } from "../context.js";
import { todayUTC } from "../dates.js";
import { parseCookies, SESSION_COOKIE } from "../http/auth.js";
import { rawQuery } from "../http/query.js";
import type { LoginLimiter } from "../login-limiter.js";
import { hashToken, newToken, verifyPassword } from "../secrets.js";

/** /auth/token answers OAuth-style bodies without a request id (contract 2.4). */
function oauthError(reply: FastifyReply, status: number, error: string, description: string) {
  return reply.code(status).send({ error, error_description: description });
}

const FIVE_YEARS_S = 5 * 365 * 24 * 3600;

export async function authRoutes(
  app: FastifyInstance,
  { ctx, limiter, failureDelayMs }: { ctx: ServerContext; limiter: LoginLimiter; failureDelayMs: number },
) {
  app.post("/auth/token", async (req, reply) => {
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
    const keys = [`ip:${req.ip}`, `user:${username.toLowerCase()}`];
    const wait = limiter.retryAfter(keys);
    if (wait > 0) {
      reply.header("retry-after", String(wait));
      return oauthError(reply, 429, "access_denied", `Too many failed logins; try again in ${wait} seconds`);
    }
    const user = await ctx.store.users.get(username);
    const ok = user !== undefined && (await verifyPassword(password, user.password_hash));
    if (!ok) {
      limiter.fail(keys);
      await new Promise((r) => setTimeout(r, failureDelayMs));
      return oauthError(reply, 400, "access_denied", "Wrong username or password");
    }
    limiter.succeed(keys);
    const token = newToken();
    const today = todayUTC();
    await ctx.store.sessions.create(
      {
        sessionid: randomBytes(9).toString("base64url"),
        username: user.username,
        description: req.headers["user-agent"] ?? "",
        created_date: today,
        last_access_date: today,
      },
      hashToken(token),
    );
    const expires = new Date(Date.now() + FIVE_YEARS_S * 1000).toUTCString();
    // A stale cookie already got a deletion from authenticate(); one Set-Cookie per name (RFC 6265).
    reply.removeHeader("set-cookie");
    reply.header(
      "set-cookie",
      `${SESSION_COOKIE}=${token}; Path=/; Expires=${expires}; HttpOnly; SameSite=Lax`,
    );
    return { access_token: token, token_type: "bearer" };
  });

  // Logout changes state, so it is a POST (heedy uses GET, which any page could trigger).
  app.post("/auth/logout", async (req, reply) => {
    const cookie = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    if (cookie) {
      const session = await ctx.store.sessions.byTokenHash(hashToken(cookie));
      if (session) await ctx.store.sessions.delete(session.sessionid);
    }
    reply.removeHeader("set-cookie");
    reply.header("set-cookie", `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`);
    reply.header("clear-site-data", '"cookies"');
    return { result: "ok" };
  });
}
