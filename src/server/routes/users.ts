import type { FastifyInstance } from "fastify";
import type { User } from "../../core/resources.js";
import { appHasScope, scopeSet } from "../../core/scopes.js";
import type { ServerContext } from "../context.js";
import { SESSION_END } from "../events/bus.js";
import type { Actor } from "../http/actor.js";
import { readBody } from "../http/body.js";
import { accessDenied, HttpError, nothingToUpdate, unimplemented } from "../http/errors.js";
import { decodeQuery, rawQuery } from "../http/query.js";
import { pruneSessions } from "../http/session.js";
import { verifyPassword } from "../secrets.js";
import { createUser, deleteUser, updateUser } from "../services/users.js";
import type { UserRecord } from "../store/index.js";

const USER_FIELDS = {
  username: "string",
  password: "string",
  name: "string",
  description: "string",
  icon: "string",
  public_read: "bool",
  users_read: "bool",
} as const;

/** Our addition: a password change that must prove the old one (the account page sends it). */
const USER_UPDATE_FIELDS = { ...USER_FIELDS, old_password: "string" } as const;

/** Never includes the password hash (decision 3, contract 12.13). */
export function userToWire(u: UserRecord, withIcon: boolean): User {
  const out: User = {
    username: u.username,
    name: u.name,
    description: u.description,
    public_read: u.public_read,
    users_read: u.users_read,
  };
  if (withIcon) out.icon = u.icon;
  return out;
}

const userNotFound = () => new HttpError(400, "not_found: User was not found");

type Verb = "read" | "update" | "delete";

/** Section 4: may this actor act on `username` with this verb? Returns the refusal, if any. */
function userRefusal(
  ctx: ServerContext,
  actor: Actor,
  target: UserRecord | undefined,
  username: string,
  verb: Verb,
) {
  switch (actor.kind) {
    case "plugin":
      return target ? undefined : userNotFound();
    case "public":
      if (verb === "read") return target?.public_read ? undefined : userNotFound();
      return accessDenied(`You must be logged in to ${verb} users`);
    case "user": {
      const self = actor.username === username || ctx.adminUsers.has(actor.username);
      if (verb === "read") {
        return target && (self || target.public_read || target.users_read) ? undefined : userNotFound();
      }
      if (!self) return accessDenied(`You cannot ${verb === "update" ? "modify" : "delete"} other users`);
      return target ? undefined : userNotFound();
    }
    case "app": {
      const scopes = scopeSet(actor.app.scope);
      const own = actor.app.owner === username;
      const allowed =
        (own && appHasScope(scopes, `owner:${verb}`)) ||
        // users:<verb> gives whatever the owner could do; the owner reads public/users_read users.
        (appHasScope(scopes, `users:${verb}`) &&
          (own ||
            ctx.adminUsers.has(actor.app.owner) ||
            (verb === "read" && (target?.public_read || target?.users_read))));
      if (!allowed) return accessDenied(`Insufficient access to ${verb} the given user`);
      return target ? undefined : userNotFound();
    }
  }
}

export async function userRoutes(app: FastifyInstance, { ctx }: { ctx: ServerContext }) {
  const isAdmin = (actor: Actor) =>
    actor.kind === "plugin" || (actor.kind === "user" && ctx.adminUsers.has(actor.username));

  app.get("/api/users", async (req) => {
    const q = decodeQuery(rawQuery(req.url), { icon: "bool" });
    if (!isAdmin(req.actor)) throw unimplemented();
    return (await ctx.store.users.list()).map((u) => userToWire(u, q.icon === true));
  });

  app.post("/api/users", async (req) => {
    const actor = req.actor;
    if (actor.kind === "public") throw accessDenied("You must be logged in to create users");
    if (actor.kind === "app") throw accessDenied("A app cannot create a user");
    if (!isAdmin(actor)) throw accessDenied("You do not have sufficient permissions to create users");
    const body = readBody(req.body, USER_FIELDS, "User");
    await createUser(ctx.store, body, ctx.events);
    return { result: "ok" };
  });

  app.get<{ Params: { username: string } }>("/api/users/:username", async (req) => {
    const q = decodeQuery(rawQuery(req.url), { icon: "bool" });
    const target = await ctx.store.users.get(req.params.username);
    const refusal = userRefusal(ctx, req.actor, target, req.params.username, "read");
    if (refusal) throw refusal;
    return userToWire(target!, q.icon === true);
  });

  app.patch<{ Params: { username: string } }>("/api/users/:username", async (req) => {
    const target = await ctx.store.users.get(req.params.username);
    const refusal = userRefusal(ctx, req.actor, target, req.params.username, "update");
    if (refusal) throw refusal;
    const { old_password: oldPassword, ...body } = readBody(req.body, USER_UPDATE_FIELDS, "User");
    if (Object.keys(body).length === 0) throw nothingToUpdate();
    if (oldPassword !== undefined && !(await verifyPassword(oldPassword, target!.password_hash))) {
      // As slow as a failed login, so this is no faster way to guess the password.
      await new Promise((r) => setTimeout(r, ctx.authFailureDelayMs));
      throw accessDenied("The current password is wrong");
    }
    // The session making a password change stays; every other one of the user ends.
    const actor = req.actor;
    const keepSession =
      actor.kind === "user" && actor.username === target!.username ? actor.sessionid : undefined;
    await updateUser(ctx.store, target!, body, {
      renameAdmin: (from, to) => ctx.renameAdmin(from, to),
      isAdminName: (name) => ctx.adminUsers.has(name),
      keepSession,
      events: ctx.events,
    });
    return { result: "ok" };
  });

  app.delete<{ Params: { username: string } }>("/api/users/:username", async (req) => {
    const target = await ctx.store.users.get(req.params.username);
    const refusal = userRefusal(ctx, req.actor, target, req.params.username, "delete");
    if (refusal) throw refusal;
    await deleteUser(ctx.store, target!.username, ctx.events);
    ctx.forgetAdmin(target!.username);
    return { result: "ok" };
  });

  app.get<{ Params: { username: string } }>("/api/users/:username/sessions", async (req) => {
    const actor = req.actor;
    if (actor.kind !== "user" || actor.username !== req.params.username) {
      throw accessDenied("Cannot read other users' sessions.");
    }
    await pruneSessions(ctx.store.sessions, ctx.sessionPolicy);
    return (await ctx.store.sessions.list(actor.username)).map((s) => ({
      sessionid: s.sessionid,
      description: s.description,
      created_date: s.created_date,
      last_access_date: s.last_access_date,
      // Our addition: which of the listed sessions is making this request, so a UI can mark it.
      current: s.sessionid === actor.sessionid,
    }));
  });

  app.delete<{ Params: { username: string; sessionid: string } }>(
    "/api/users/:username/sessions/:sessionid",
    async (req) => {
      const actor = req.actor;
      if (actor.kind !== "user" || actor.username !== req.params.username) {
        throw accessDenied("Cannot delete other users' sessions.");
      }
      const mine = (await ctx.store.sessions.list(actor.username)).some(
        (s) => s.sessionid === req.params.sessionid,
      );
      if (!mine || !(await ctx.store.sessions.delete(req.params.sessionid))) {
        throw new HttpError(400, "not_found: The selected resource was not found");
      }
      ctx.events.publish({ event: SESSION_END, user: actor.username });
      return { result: "ok" };
    },
  );
}
