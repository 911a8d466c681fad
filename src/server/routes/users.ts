import type { FastifyInstance } from "fastify";
import type { User } from "../../core/resources.js";
import { appHasScope, scopeSet } from "../../core/scopes.js";
import type { ServerContext } from "../context.js";
import type { Actor } from "../http/actor.js";
import { readBody } from "../http/body.js";
import { accessDenied, HttpError, nothingToUpdate, unimplemented } from "../http/errors.js";
import { decodeQuery, rawQuery } from "../http/query.js";
import { pruneSessions } from "../http/session.js";
import { hashPassword } from "../secrets.js";
import type { UserRecord } from "../store/index.js";
import { checkIcon, checkName, checkUsername } from "../validate.js";

const USER_FIELDS = {
  username: "string",
  password: "string",
  name: "string",
  description: "string",
  icon: "string",
  public_read: "bool",
  users_read: "bool",
} as const;

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

/**
 * heedy's database always holds these pseudo-users (section 0), so a real user can never take
 * their names: they mean "the plugin key", "everybody" and "every logged-in user" elsewhere.
 */
const RESERVED_USERNAMES: ReadonlySet<string> = new Set(["heedy", "public", "users"]);

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
    const username = checkUsername(body.username ?? "");
    if (!body.password) throw new HttpError(400, "bad_request: A user cannot have an empty password");
    if (RESERVED_USERNAMES.has(username) || (await ctx.store.users.get(username))) {
      throw new HttpError(400, "UNIQUE constraint failed: users.username");
    }
    await ctx.store.users.create({
      username,
      // Same rule as an update: "" is the default, anything else must be a valid name (section 3).
      name: body.name === undefined || body.name === "" ? "" : checkName(body.name),
      description: body.description ?? "",
      icon: checkIcon(body.icon ?? ""),
      public_read: body.public_read ?? false,
      users_read: body.users_read ?? false,
      password_hash: await hashPassword(body.password),
    });
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
    const body = readBody(req.body, USER_FIELDS, "User");
    if (Object.keys(body).length === 0) throw nothingToUpdate();
    const patch: Partial<UserRecord> = {};
    if (body.username !== undefined && body.username !== target!.username) {
      patch.username = checkUsername(body.username);
      if (RESERVED_USERNAMES.has(patch.username) || (await ctx.store.users.get(patch.username))) {
        throw new HttpError(400, "UNIQUE constraint failed: users.username");
      }
      // heedy.json grants admin by name; an entry left from a removed user must not pass to
      // whoever renames themselves to it.
      if (ctx.adminUsers.has(patch.username)) {
        throw accessDenied("That username is reserved for an admin in the server's configuration");
      }
    }
    if (body.password !== undefined) {
      // Decision 3: an empty password is refused on update too (heedy accepts it, 12.20).
      if (body.password === "") throw new HttpError(400, "bad_request: A user cannot have an empty password");
      patch.password_hash = await hashPassword(body.password);
    }
    if (body.name !== undefined) patch.name = body.name === "" ? "" : checkName(body.name);
    if (body.description !== undefined) patch.description = body.description;
    if (body.icon !== undefined) patch.icon = checkIcon(body.icon);
    if (body.public_read !== undefined) patch.public_read = body.public_read;
    if (body.users_read !== undefined) patch.users_read = body.users_read;
    await ctx.store.users.update(target!.username, patch);
    if (patch.username !== undefined) ctx.renameAdmin(target!.username, patch.username);
    if (patch.password_hash !== undefined) {
      // Whoever knew the old password may hold a session; the one making the change stays.
      const actor = req.actor;
      const keep = actor.kind === "user" && actor.username === target!.username ? actor.sessionid : undefined;
      await ctx.store.sessions.deleteForUser(patch.username ?? target!.username, keep);
    }
    return { result: "ok" };
  });

  app.delete<{ Params: { username: string } }>("/api/users/:username", async (req) => {
    const target = await ctx.store.users.get(req.params.username);
    const refusal = userRefusal(ctx, req.actor, target, req.params.username, "delete");
    if (refusal) throw refusal;
    await ctx.store.users.delete(target!.username);
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
      return { result: "ok" };
    },
  );
}
