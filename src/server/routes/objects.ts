import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { accessAllows, appHasScope, canUpdateFields, formatScopeSet, scopeSet } from "../../core/scopes.js";
import type { ServerContext } from "../context.js";
import { todayUTC } from "../dates.js";
import { actingUser } from "../http/actor.js";
import { readBody } from "../http/body.js";
import { accessDenied, HttpError, notFound, nothingToUpdate } from "../http/errors.js";
import { decodeQuery, rawQuery } from "../http/query.js";
import { objectAccess, objectToWire, readableObject } from "../object-access.js";
import { mergeMeta, metaForCreate, type SchemaChecker } from "../object-meta.js";
import { ConstraintError, type ObjectFilter, type ObjectRecord } from "../store/index.js";
import { checkIcon, checkName, checkUsername, normaliseSet } from "../validate.js";

const CREATE_FIELDS = {
  name: "string",
  type: "string",
  description: "string",
  icon: "string",
  owner: "string",
  app: "string",
  tags: "string",
  key: "string",
  meta: "object",
  owner_scope: "string",
  data: "array",
} as const;

const UPDATE_FIELDS = {
  name: "string",
  description: "string",
  icon: "string",
  tags: "string",
  key: "string",
  owner_scope: "string",
  meta: "object",
  owner: "string",
  app: "string",
} as const;

/** Inserts a new object's initial `data` with the creator's rights (contract 6.2). */
export type InitialDataWriter = (
  obj: ObjectRecord,
  access: ReadonlySet<string>,
  data: unknown[],
) => Promise<void>;

export interface ObjectRouteOptions {
  ctx: ServerContext;
  checkSchema: SchemaChecker;
  writeInitialData: InitialDataWriter;
}

/** A constraint failure is reported as heedy's SQLite text, with type server_error (6.2 step 7). */
function constraintToHttp(e: unknown): never {
  if (e instanceof ConstraintError) throw new HttpError(400, e.message);
  throw e;
}

export async function objectRoutes(
  app: FastifyInstance,
  { ctx, checkSchema, writeInitialData }: ObjectRouteOptions,
) {
  app.get("/api/objects", async (req) => {
    const q = decodeQuery(rawQuery(req.url), {
      owner: "string",
      app: "string",
      key: "string",
      tags: "string",
      type: "string",
      limit: "int",
      icon: "bool",
      shared: "bool",
    });
    const actor = req.actor;
    const filter: ObjectFilter = {};
    if (q.owner !== undefined) {
      const me = actingUser(actor);
      filter.owner = q.owner === "self" && me !== undefined ? me : q.owner;
    }
    if (q.app !== undefined) {
      if (q.app === "") filter.app = null;
      else if (q.app !== "self") filter.app = q.app;
      // 3.4: `self` is the requesting app; for anyone else it matches nothing.
      else if (actor.kind === "app") filter.app = actor.app.id;
      else return [];
    }
    if (q.key !== undefined) filter.key = q.key === "" ? null : q.key;
    if (q.tags) filter.tags = q.tags.split(/\s+/).filter((t) => t !== "");
    if (q.type !== undefined) filter.type = q.type;
    // Without shares, users and apps only ever see the owner's objects: let the store narrow first.
    const me = actingUser(actor);
    if (actor.kind === "public") return [];
    if (me !== undefined && filter.owner === undefined) filter.owner = me;
    if (me !== undefined && filter.owner !== me) return [];
    const limit = q.limit ?? 1000;
    const out = [];
    // Decision 3: the limit counts visible objects, not rows before the access filter (12.19).
    for (const obj of await ctx.store.objects.list(filter)) {
      if (limit >= 0 && out.length >= limit) break;
      const access = objectAccess(actor, obj);
      if (!accessAllows(access, "read")) continue;
      out.push(objectToWire(obj, access, q.icon === true));
    }
    return out;
  });

  app.post("/api/objects", async (req) => {
    const raw = req.body;
    const body = readBody(raw, CREATE_FIELDS, "Object", "read_error");
    if (body.type === undefined || body.type === "object") {
      throw new HttpError(400, "bad_request: must specify a type of object to create");
    }
    if (!ctx.objectTypes.includes(body.type))
      throw new HttpError(400, "bad_request: unrecognized object type");
    const q = decodeQuery(rawQuery(req.url), { icon: "bool" });
    const src = (raw ?? {}) as Record<string, unknown>;
    const actor = req.actor;
    let owner: string;
    let appId: string | null = null;
    switch (actor.kind) {
      case "public":
        throw accessDenied("You must be logged in to create objects");
      case "app": {
        if (body.app !== undefined && body.app !== "self" && body.app !== actor.app.id) {
          throw accessDenied("Can't create a object for a different app");
        }
        if (src.last_modified != null || src.modified_date != null) {
          throw accessDenied("Last Modified for object is readonly");
        }
        if (body.owner !== undefined && body.owner !== "self" && body.owner !== actor.app.owner) {
          throw accessDenied("Can't create a object for a different user");
        }
        const scopes = scopeSet(actor.app.scope);
        if (
          !appHasScope(scopes, "self.objects:create") &&
          !appHasScope(scopes, `self.objects.${body.type}:create`) &&
          !appHasScope(scopes, `self.objects.${body.type}`)
        ) {
          throw accessDenied("Insufficient access to create a object of this type");
        }
        owner = actor.app.owner;
        appId = actor.app.id;
        break;
      }
      case "user":
        if (body.app !== undefined) throw accessDenied("You cannot create objects belonging to an app");
        if (src.last_modified != null || src.modified_date != null) {
          throw accessDenied("Last Modified status of object is readonly");
        }
        if (body.owner !== undefined && body.owner !== actor.username && body.owner !== "self") {
          throw accessDenied("Cannot create a object belonging to someone else");
        }
        owner = actor.username;
        break;
      case "plugin": {
        if (body.name === undefined) throw new HttpError(400, "bad_request: Invalid name");
        if (body.owner === undefined && body.app === undefined) {
          throw new HttpError(
            400,
            "bad_query: You must specify either an owner or an app to which the object should belong",
          );
        }
        if (body.owner !== undefined && body.app !== undefined) {
          throw new HttpError(
            400,
            "bad_query: When creating a object for an app, you must not specify an owner",
          );
        }
        if (body.app !== undefined) {
          const target = await ctx.store.apps.get(body.app);
          if (!target) throw new HttpError(400, "not_found: The selected resource was not found");
          owner = target.owner;
          appId = target.id;
        } else {
          owner = checkUsername(body.owner!);
          if (!(await ctx.store.users.get(owner))) throw new HttpError(400, "not_found: User was not found");
        }
        break;
      }
    }
    if (body.name === undefined) throw new HttpError(400, "bad_request: Invalid name");
    if (body.key === "") throw new HttpError(400, "bad_query: Object key can't be empty string");
    const meta = metaForCreate(body.type, body.meta, checkSchema);
    const icon = checkIcon(body.icon ?? "");
    const name = checkName(body.name);
    if (src.access != null) {
      throw new HttpError(
        400,
        "bad_query: The access field is auto-generated from permissions - it cannot be set directly",
      );
    }
    const obj: ObjectRecord = {
      id: randomUUID(),
      name,
      description: body.description ?? "",
      icon,
      owner,
      app: appId,
      tags: normaliseSet(body.tags ?? ""),
      key: body.key ?? null,
      type: body.type,
      meta,
      // Decision 3: nobody chooses created_date; it is the day the object was made.
      created_date: todayUTC(),
      last_modified: null,
      owner_scope: formatScopeSet(scopeSet(body.owner_scope ?? "*")),
    };
    await ctx.store.objects.create(obj).catch(constraintToHttp);
    const access = objectAccess(actor, obj);
    if (!accessAllows(access, "read")) {
      await ctx.store.objects.delete(obj.id);
      throw notFound(400);
    }
    if (body.data !== undefined && body.data.length > 0) {
      try {
        await writeInitialData(obj, access, body.data);
      } catch (e) {
        await ctx.store.objects.delete(obj.id);
        if (e instanceof HttpError && e.status !== 400) throw new HttpError(400, e.message);
        throw e;
      }
    }
    const stored = (await ctx.store.objects.get(obj.id)) ?? obj;
    return objectToWire(stored, access, q.icon === true);
  });

  app.get<{ Params: { id: string } }>("/api/objects/:id", async (req) => {
    const { obj, access } = await readableObject(ctx, req.actor, req.params.id);
    const q = decodeQuery(rawQuery(req.url), { icon: "bool" });
    return objectToWire(obj, access, q.icon === true);
  });

  app.patch<{ Params: { id: string } }>("/api/objects/:id", async (req) => {
    const { obj, access } = await readableObject(ctx, req.actor, req.params.id);
    const raw = (req.body ?? {}) as Record<string, unknown>;
    const body = readBody(req.body, UPDATE_FIELDS, "Object");
    if (raw.type != null) throw new HttpError(400, "bad_query: Modifying a object type is not supported");
    if (raw.last_modified != null || raw.modified_date != null) {
      throw accessDenied("Modification date of object is readonly");
    }
    if (raw.created_date != null) throw accessDenied("The creation date of an object is readonly");
    if (raw.access != null) {
      throw new HttpError(
        400,
        "bad_query: The access field is auto-generated from permissions - it cannot be set directly",
      );
    }
    const changed = Object.keys(body).filter(
      (k) => !(k === "meta" && Object.keys(body.meta ?? {}).length === 0),
    );
    if (changed.length === 0) throw nothingToUpdate();
    if (!canUpdateFields(access, changed)) throw notFound(400);
    if ((body.owner !== undefined || body.app !== undefined) && req.actor.kind !== "plugin") {
      // heedy lets any updater move objects between owners and apps without re-checking (3.3);
      // that breaks the app/owner invariant, so only the plugin key may do it here.
      throw accessDenied("Only plugins can move an object to another owner or app");
    }
    const patch: Partial<ObjectRecord> = {};
    if (body.name !== undefined) patch.name = checkName(body.name);
    if (body.description !== undefined) patch.description = body.description;
    if (body.icon !== undefined) patch.icon = checkIcon(body.icon);
    if (body.tags !== undefined) patch.tags = normaliseSet(body.tags);
    if (body.key !== undefined) patch.key = body.key === "" ? null : body.key;
    if (body.owner_scope !== undefined) patch.owner_scope = formatScopeSet(scopeSet(body.owner_scope));
    if (body.owner !== undefined) {
      patch.owner = checkUsername(body.owner);
      if (!(await ctx.store.users.get(patch.owner)))
        throw new HttpError(400, "not_found: User was not found");
    }
    if (body.app !== undefined) {
      const target = await ctx.store.apps.get(body.app);
      if (!target) throw notFound(400);
      patch.app = target.id;
    }
    if (body.meta !== undefined && changed.includes("meta")) {
      patch.meta = mergeMeta(obj.type, obj.meta, body.meta, checkSchema);
    }
    await ctx.store.objects.update(obj.id, patch).catch(constraintToHttp);
    return { result: "ok" };
  });

  app.delete<{ Params: { id: string } }>("/api/objects/:id", async (req) => {
    const { obj, access } = await readableObject(ctx, req.actor, req.params.id);
    const actor = req.actor;
    if (actor.kind === "public") throw accessDenied("You must be logged in to delete objects");
    if (actor.kind === "app" && !accessAllows(access, "delete")) {
      throw accessDenied("Insufficient permissions to delete the object");
    }
    // 6.5: a user deletes only their own objects that no app manages (contract 12.16, kept).
    if (actor.kind === "user" && (obj.owner !== actor.username || obj.app !== null)) throw notFound(400);
    await ctx.store.objects.delete(obj.id);
    return { result: "ok" };
  });
}
