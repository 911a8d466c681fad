import { timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ServerContext } from "../context.js";
import { todayUTC } from "../dates.js";
import { hashToken } from "../secrets.js";
import type { Actor } from "./actor.js";
import { changesState, fromOwnOrigin } from "./csrf.js";
import { HttpError } from "./errors.js";
import { rawQuery } from "./query.js";
import { clearSessionCookie, SESSION_COOKIE, sessionExpired, TOUCH_INTERVAL_MS } from "./session.js";

export { SESSION_COOKIE };

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    try {
      out.set(name, decodeURIComponent(value));
    } catch {
      out.set(name, value);
    }
  }
  return out;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Resolves who is asking, in heedy's order (contract 2.1): plugin key, stray X-Heedy headers,
 * Authorization, `?access_token=`, then the session cookie, else public.
 */
export async function authenticate(
  ctx: ServerContext,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  req.viaPluginKey = false;
  const fail = async (status: number, message: string) => {
    if (status === 401) await delay(ctx.authFailureDelayMs);
    throw new HttpError(status, message, { withoutId: true });
  };

  const key = req.headers["x-heedy-key"];
  if (typeof key === "string" && key !== "") {
    if (!sameSecret(key, ctx.pluginKey)) return fail(401, "access_denied: invalid heedy plugin key");
    req.viaPluginKey = true;
    req.actor = await actAs(ctx, req.headers["x-heedy-as"]);
    return;
  }
  if (Object.keys(req.headers).some((h) => h.startsWith("x-heedy-"))) {
    return fail(403, "access_denied: X-Heedy headers are only permitted with a valid X-Heedy-Key");
  }

  let token = "";
  const authz = req.headers.authorization;
  if (typeof authz === "string" && authz !== "") {
    if (!/^bearer /i.test(authz))
      return fail(401, "access_denied: bad_request: Malformed authorization header");
    token = authz.slice(7);
  } else {
    token = new URLSearchParams(rawQuery(req.url)).get("access_token") ?? "";
  }

  if (token !== "") {
    const app = await ctx.store.apps.byTokenHash(hashToken(token));
    if (!app) return fail(401, "access_denied: access_denied: invalid API key");
    const today = todayUTC();
    if (app.last_access_date !== today) {
      await ctx.store.apps.update(app.id, { last_access_date: today });
      app.last_access_date = today;
    }
    if (!app.enabled) return fail(401, "access_denied: app_disabled: the app was disabled");
    req.actor = { kind: "app", app };
    return;
  }

  const cookie = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
  if (cookie) {
    const session = await ctx.store.sessions.byTokenHash(hashToken(cookie));
    const now = Date.now();
    if (session && sessionExpired(session, ctx.sessionPolicy, now)) {
      await ctx.store.sessions.delete(session.sessionid);
    } else if (session) {
      // Browsers send the cookie along with requests other sites make; only this origin's own
      // pages may change state with it.
      if (changesState(req.method) && !fromOwnOrigin(req)) {
        throw new HttpError(
          403,
          "access_denied: A request with a session cookie that changes data must come from this server's own pages",
        );
      }
      if (
        now - session.used_at >= TOUCH_INTERVAL_MS ||
        session.last_access_date !== todayUTC(new Date(now))
      ) {
        await ctx.store.sessions.touch(session.sessionid, now);
      }
      req.actor = { kind: "user", username: session.username, sessionid: session.sessionid };
      return;
    }
    clearSessionCookie(req, reply);
  }
  req.actor = { kind: "public" };
}

/** X-Heedy-As (contract 2.3): `heedy`, `public`, `<user>` or `<user>/<appid>`. */
async function actAs(ctx: ServerContext, as: string | string[] | undefined): Promise<Actor> {
  const who = Array.isArray(as) ? as[as.length - 1] : as;
  if (who === undefined || who === "" || who === "heedy") return { kind: "plugin" };
  if (who === "public") return { kind: "public" };
  const refuse = (reason: string) =>
    new HttpError(400, `plugin_error: Could not auth as ${who}: ${reason}`, { withoutId: true });
  const slash = who.indexOf("/");
  if (slash < 0) {
    if (!(await ctx.store.users.get(who))) throw refuse("user not found");
    return { kind: "user", username: who };
  }
  const app = await ctx.store.apps.get(who.slice(slash + 1));
  if (!app || app.owner !== who.slice(0, slash)) throw refuse("app not found");
  return { kind: "app", app };
}
