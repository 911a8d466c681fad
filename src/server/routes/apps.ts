import type { FastifyInstance } from "fastify";
import type { App } from "../../core/resources.js";
import type { ServerContext } from "../context.js";
import { readBody } from "../http/body.js";
import { accessDenied, HttpError, notFound, nothingToUpdate, unimplemented } from "../http/errors.js";
import { decodeQuery, rawQuery } from "../http/query.js";
import { createAppFor, deleteApp, updateApp } from "../services/apps.js";
import type { AppRecord } from "../store/index.js";
import { checkUsername } from "../validate.js";

const APP_FIELDS = {
  name: "string",
  description: "string",
  icon: "string",
  owner: "string",
  enabled: "bool",
  scope: "string",
  settings: "object",
  settings_schema: "object",
  access_token: "string",
  plugin: "string",
} as const;

/**
 * Decision 4: tokens are stored hashed, so a read can only say whether one exists (`""` when not).
 * `freshToken` is the token just made, shown once.
 */
export function appToWire(
  a: AppRecord,
  opts: { icon?: boolean; freshToken?: string; tokenRequested?: boolean } = {},
): App {
  const out: App = {
    id: a.id,
    name: a.name,
    description: a.description,
    owner: a.owner,
    enabled: a.enabled,
    created_date: a.created_date,
    last_access_date: a.last_access_date,
    scope: a.scope,
    settings: a.settings,
    settings_schema: a.settings_schema,
  };
  if (a.plugin !== null) out.plugin = a.plugin;
  if (opts.freshToken !== undefined) out.access_token = opts.freshToken;
  else if (a.token_hash === null || opts.tokenRequested) out.access_token = "";
  if (opts.icon) out.icon = a.icon;
  return out;
}

export async function appRoutes(app: FastifyInstance, { ctx }: { ctx: ServerContext }) {
  app.get("/api/apps", async (req) => {
    const q = decodeQuery(rawQuery(req.url), {
      icon: "bool",
      token: "bool",
      owner: "string",
      plugin: "string",
      enabled: "bool",
    });
    const actor = req.actor;
    if (actor.kind === "public") throw accessDenied("You must be logged in to list apps");
    if (actor.kind === "app") throw unimplemented();
    let owner = q.owner;
    if (actor.kind === "user") {
      if (owner !== undefined && owner !== "self" && owner !== actor.username) {
        throw accessDenied("Can only list your own apps");
      }
      owner = actor.username;
    }
    const plugin = q.plugin === undefined ? undefined : q.plugin === "" ? null : q.plugin;
    const apps = await ctx.store.apps.list({ owner, plugin, enabled: q.enabled });
    return apps.map((a) => appToWire(a, { icon: q.icon === true }));
  });

  app.post("/api/apps", async (req) => {
    const actor = req.actor;
    const body = readBody(req.body, APP_FIELDS, "App");
    if (actor.kind === "public") throw accessDenied("You must be logged in to create apps");
    if (actor.kind === "app") {
      if (body.plugin !== undefined) throw accessDenied("Only users can create apps");
      throw unimplemented();
    }
    const q = decodeQuery(rawQuery(req.url), { icon: "bool", token: "bool" });
    if (body.name === undefined) throw new HttpError(400, "bad_request: Invalid name");
    let owner: string;
    if (actor.kind === "user") {
      if (body.owner !== undefined && body.owner !== actor.username) {
        throw accessDenied("Cannot create an app belonging to someone else");
      }
      if (body.plugin !== undefined) throw accessDenied("Cannot create a plugin app");
      owner = actor.username;
    } else {
      if (body.owner === undefined) throw new HttpError(400, "bad_query: An app must have an owner");
      owner = checkUsername(body.owner);
      if (!(await ctx.store.users.get(owner))) throw new HttpError(400, "not_found: User was not found");
      if (body.plugin !== undefined && !/^[^:]+:.+$/.test(body.plugin)) {
        throw new HttpError(400, "bad_query: plugin keys must be in the format 'plugin_name:key'");
      }
    }
    const { app: created, token } = await createAppFor(
      ctx.store,
      owner,
      { ...body, name: body.name },
      ctx.events,
    );
    // Decision 4: the token is shown where it is created, when asked for with ?token=true.
    return appToWire(created, { icon: q.icon === true, freshToken: q.token && token ? token : undefined });
  });

  /** Section 5.3/5.4: apps reach only themselves; users reach only their own apps. */
  async function reachableApp(
    actorApp: AppRecord | undefined,
    owner: string | undefined,
    id: string,
    verb: string,
  ) {
    if (actorApp) {
      if (id !== "self" && id !== actorApp.id) throw accessDenied(`Can't ${verb} other apps`);
      return (await ctx.store.apps.get(actorApp.id)) ?? actorApp;
    }
    const found = await ctx.store.apps.get(id);
    if (!found || (owner !== undefined && found.owner !== owner)) throw notFound(400);
    return found;
  }

  app.get<{ Params: { id: string } }>("/api/apps/:id", async (req) => {
    const q = decodeQuery(rawQuery(req.url), { icon: "bool", token: "bool" });
    const actor = req.actor;
    if (actor.kind === "public") throw accessDenied("You must be logged in to read apps");
    const found = await reachableApp(
      actor.kind === "app" ? actor.app : undefined,
      actor.kind === "user" ? actor.username : undefined,
      req.params.id,
      "read",
    );
    return appToWire(found, { icon: q.icon === true, tokenRequested: q.token === true });
  });

  app.patch<{ Params: { id: string } }>("/api/apps/:id", async (req) => {
    const actor = req.actor;
    if (actor.kind === "public") throw accessDenied("You must be logged in to modify apps");
    const found = await reachableApp(
      actor.kind === "app" ? actor.app : undefined,
      actor.kind === "user" ? actor.username : undefined,
      req.params.id,
      "modify",
    );
    const body = readBody(req.body, APP_FIELDS, "App");
    if (Object.keys(body).length === 0) throw nothingToUpdate();
    if (body.plugin !== undefined && actor.kind !== "plugin")
      throw accessDenied("Cannot modify app plugin value");
    if (actor.kind === "app") {
      if (body.scope !== undefined) throw accessDenied("Can't change own scope");
      // Decision 3: an app cannot hand itself to another user (heedy allows it, 12.18).
      if (body.owner !== undefined && body.owner !== found.owner)
        throw accessDenied("Can't change own owner");
    }
    if (actor.kind === "user") {
      if (body.settings_schema !== undefined) {
        throw accessDenied("Cannot modify app settings schema - only the app itself can do that.");
      }
      if (body.owner !== undefined && body.owner !== found.owner) {
        throw accessDenied("Cannot give an app to someone else");
      }
    }
    const token = await updateApp(ctx.store, found, body, ctx.events);
    return token === undefined ? { result: "ok" } : { result: "ok", access_token: token };
  });

  app.delete<{ Params: { id: string } }>("/api/apps/:id", async (req) => {
    const actor = req.actor;
    if (actor.kind === "public") throw accessDenied("You must be logged in to delete apps");
    if (actor.kind === "app") throw unimplemented();
    const found = await reachableApp(
      undefined,
      actor.kind === "user" ? actor.username : undefined,
      req.params.id,
      "delete",
    );
    await deleteApp(ctx.store, found, ctx.events);
    return { result: "ok" };
  });
}
