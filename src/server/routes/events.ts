/**
 * heedy's events socket, `GET /api/events` (contract 10): subscribe, unsubscribe and ping
 * commands; a refused subscription or an unknown command closes the socket with 1011 and the
 * reason. Authenticated like every /api route (bearer, `?access_token=`, cookie).
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { type EventFilter, filterKey, isWildcard, readFilter } from "../../core/events.js";
import { accessAllows } from "../../core/scopes.js";
import type { ServerContext } from "../context.js";
import { actorKey, type Connection, type EventSocket, SocketHub } from "../events/socket-hub.js";
import type { Actor } from "../http/actor.js";
import { fromOwnOrigin } from "../http/csrf.js";
import { HttpError } from "../http/errors.js";
import type { HttpLimits } from "../http/limits.js";
import { sessionExpired } from "../http/session.js";
import { objectAccess } from "../object-access.js";

/** Close codes: 1011 is heedy's for a refused command; 1009 is the standard "message too big". */
const REFUSED = 1011;

class Refusal extends Error {}

/** A close reason must fit a control frame (123 bytes). */
function closeReason(text: string): string {
  const buf = Buffer.from(text);
  return buf.length <= 123
    ? text
    : buf
        .subarray(0, 120)
        .toString()
        .replace(/\uFFFD$/, "");
}

/** Whether `actor` may hear the events `f` selects (contract 10); a sentence if not. */
async function refusal(ctx: ServerContext, actor: Actor, f: EventFilter): Promise<string | undefined> {
  if (actor.kind === "plugin") return undefined;
  if (isWildcard(f.user) && isWildcard(f.app) && isWildcard(f.object)) {
    return "A subscription must target a user, app or object";
  }
  if (!isWildcard(f.user)) {
    // As heedy: an app hears its owner's objects through `object` (if its scope reads them) and
    // its own through `app`, but never the user's own events (settings, account changes).
    if (actor.kind === "app" && f.user === actor.app.owner) return "An app can't subscribe to user events";
    if (actor.kind !== "user" || actor.username !== f.user) return "Can't subscribe to another user's events";
  }
  if (!isWildcard(f.app)) {
    const app = f.app === undefined ? undefined : await ctx.store.apps.get(f.app);
    const mine =
      app !== undefined &&
      ((actor.kind === "user" && app.owner === actor.username) ||
        (actor.kind === "app" && app.id === actor.app.id));
    if (!mine) return "Can't subscribe to the events of that app";
  }
  if (!isWildcard(f.object)) {
    const obj = f.object === undefined ? undefined : await ctx.store.objects.get(f.object);
    if (!obj || !accessAllows(objectAccess(actor, obj), "read")) {
      return "Can't subscribe to the events of that object";
    }
  }
  return undefined;
}

/** How often open sockets' credentials are re-read when no event said they changed. */
const CREDENTIAL_SWEEP_MS = 60_000;

/**
 * Re-reads what the socket's credentials were when it opened: the user still there and the
 * session still live; the app still enabled, with the same token, owner and scope (a narrower
 * scope may no longer allow what the socket subscribed to, so the client must subscribe again).
 */
async function stillValid(ctx: ServerContext, actor: Actor): Promise<boolean> {
  if (actor.kind === "user") {
    if (!(await ctx.store.users.get(actor.username))) return false;
    if (actor.sessionid === undefined) return true;
    const session = (await ctx.store.sessions.list(actor.username)).find(
      (s) => s.sessionid === actor.sessionid,
    );
    return session !== undefined && !sessionExpired(session, ctx.sessionPolicy, Date.now());
  }
  if (actor.kind === "app") {
    const now = await ctx.store.apps.get(actor.app.id);
    return (
      now?.enabled === true &&
      now.token_hash === actor.app.token_hash &&
      now.owner === actor.app.owner &&
      now.scope === actor.app.scope
    );
  }
  return true;
}

export async function eventRoutes(
  app: FastifyInstance,
  { ctx, limits }: { ctx: ServerContext; limits: HttpLimits },
) {
  // Ended credentials usually close their sockets through an event; what ends without one (an
  // expired session, a password set from the CLI of a SQLite folder) within a minute.
  const sweepMs = Math.min(CREDENTIAL_SWEEP_MS, limits.eventPingIdleMs);
  const hub = new SocketHub(ctx.events, (actor) => stillValid(ctx, actor), sweepMs);
  app.addHook("onClose", async () => hub.close());

  app.route({
    method: "GET",
    url: "/api/events",
    // Checked before the upgrade, so a refusal is an ordinary heedy error answer.
    preValidation: async (req: FastifyRequest) => {
      if (!req.ws) return;
      // A page on another site can open a socket with the browser's cookie; only this
      // origin's pages may (cross-site WebSocket hijacking).
      if (req.actor.kind === "user" && req.actor.sessionid !== undefined && !fromOwnOrigin(req)) {
        throw new HttpError(
          403,
          "access_denied: The events socket with a session cookie is for this server's own pages",
        );
      }
      if (hub.count(actorKey(req.actor, req.ip)) >= limits.eventSockets) {
        throw new HttpError(
          429,
          `too_many_requests: At most ${limits.eventSockets} event sockets may be open at once`,
        );
      }
    },
    handler: async () => {
      throw new HttpError(400, "bad_request: /api/events is a WebSocket; connect with an upgrade");
    },
    wsHandler: (raw, req) => {
      const socket = raw as EventSocket & {
        on(event: "message", l: (data: Buffer, isBinary: boolean) => void): void;
        on(event: "close", l: () => void): void;
      };
      const actor = req.actor;
      let timer: NodeJS.Timeout | undefined;
      const conn: Connection = {
        socket,
        actor,
        actorKey: actorKey(actor, req.ip),
        subscriptions: new Map(),
        touch() {
          timer?.refresh();
        },
      };
      // heedy pings after 15 minutes without a frame either way, so idle proxies keep the socket.
      timer = setInterval(() => socket.ping(), limits.eventPingIdleMs);
      timer.unref();
      hub.add(conn);

      const refuse = (reason: string) => {
        socket.close(REFUSED, closeReason(reason));
        hub.remove(conn);
        clearInterval(timer);
      };

      async function command(data: Buffer, isBinary: boolean): Promise<void> {
        let cmd: unknown;
        try {
          cmd = isBinary ? undefined : JSON.parse(data.toString("utf8"));
        } catch {
          cmd = undefined;
        }
        if (typeof cmd !== "object" || cmd === null || Array.isArray(cmd)) {
          throw new Refusal("A command must be a JSON object");
        }
        const fields = cmd as Record<string, unknown>;
        switch (fields.cmd) {
          case "ping":
            socket.send(JSON.stringify({ event: "pong" }));
            return;
          case "subscribe":
          case "unsubscribe": {
            const filter = readFilter(fields);
            if (!filter) throw new Refusal("Subscription fields must be strings");
            const key = filterKey(filter);
            if (fields.cmd === "unsubscribe") {
              conn.subscriptions.delete(key);
              return;
            }
            const why = await refusal(ctx, actor, filter);
            if (why !== undefined) throw new Refusal(why);
            if (!conn.subscriptions.has(key) && conn.subscriptions.size >= limits.eventSubscriptions) {
              throw new Refusal(`At most ${limits.eventSubscriptions} subscriptions per socket`);
            }
            conn.subscriptions.set(key, filter);
            return;
          }
          default:
            throw new Refusal(`Unrecognized command ${JSON.stringify(String(fields.cmd)).slice(0, 60)}`);
        }
      }

      // Commands run one after another, so a ping sent after a subscribe is answered once the
      // subscription is in place.
      let queue = Promise.resolve();
      socket.on("message", (data, isBinary) => {
        conn.touch();
        queue = queue
          .then(() => (socket.readyState === 1 ? command(data, isBinary) : undefined))
          .catch((e: unknown) => {
            if (e instanceof Refusal) return refuse(e.message);
            req.log.error({ err: e }, "events socket command failed");
            refuse("The command could not be carried out");
          });
      });
      socket.on("close", () => {
        clearInterval(timer);
        hub.remove(conn);
      });
    },
  });
}
