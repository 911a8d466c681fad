import type { FastifyReply, FastifyRequest } from "fastify";
import type { SessionPolicy } from "../context.js";
import type { SessionRecord } from "../store/index.js";

/** The session cookie, as both heedy and browsers expect it (contract 2.4). */
export const SESSION_COOKIE = "token";

/** A session's last use is written at most this often, so reads do not each cost a write. */
export const TOUCH_INTERVAL_MS = 60 * 1000;

/**
 * SameSite=Lax, as heedy sends it (2.4): it keeps the session when someone follows a link into
 * the app from elsewhere, and cross-site writes are already refused by the Origin check
 * (`csrf.ts`), which also covers the same-site-other-port case Strict would not.
 * Secure whenever the request itself came over https.
 */
function cookie(req: FastifyRequest, value: string, maxAgeS: number): string {
  const secure = req.protocol === "https" ? "; Secure" : "";
  return `${SESSION_COOKIE}=${value}; Path=/; Max-Age=${maxAgeS}; HttpOnly; SameSite=Lax${secure}`;
}

/** Sets the new session's cookie, replacing any deletion an earlier step queued (one per name). */
export function setSessionCookie(
  req: FastifyRequest,
  reply: FastifyReply,
  token: string,
  policy: SessionPolicy,
): void {
  reply.removeHeader("set-cookie");
  reply.header("set-cookie", cookie(req, token, Math.floor(policy.maxAgeMs / 1000)));
}

export function clearSessionCookie(req: FastifyRequest, reply: FastifyReply): void {
  reply.removeHeader("set-cookie");
  reply.header("set-cookie", cookie(req, "", 0));
}

export function sessionExpired(session: SessionRecord, policy: SessionPolicy, now: number): boolean {
  return now - session.used_at > policy.idleMs || now - session.created_at > policy.maxAgeMs;
}

/** Removes every expired session; run where sessions are made or listed, both rare. */
export async function pruneSessions(
  store: { deleteExpired(usedBefore: number, createdBefore: number): Promise<number> },
  policy: SessionPolicy,
  now = Date.now(),
): Promise<void> {
  await store.deleteExpired(now - policy.idleMs, now - policy.maxAgeMs);
}
