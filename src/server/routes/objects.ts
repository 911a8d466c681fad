import type { FastifyInstance } from "fastify";
import { accessAllows, canUpdateFields } from "../../core/scopes.js";
import type { ServerContext } from "../context.js";
import { actingUser } from "../http/actor.js";
import { readBody } from "../http/body.js";
import { accessDenied, HttpError, notFound, nothingToUpdate } from "../http/errors.js";
import { decodeQuery, rawQuery } from "../http/query.js";
import { objectToWire, readableObject } from "../object-access.js";
import type { SchemaChecker } from "../object-meta.js";
import {
  createObject,
  deleteObject,
  listVisibleObjects,
  newObjectOwner,
  type ObjectDeps,
  type ReadonlyFieldsSent,
  updateObject,
} from "../services/objects.js";
import type { ObjectFilter } from "../store/index.js";

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

export interface ObjectRouteOptions {
  ctx: ServerContext;
  checkSchema: SchemaChecker;
}

export async function objectRoutes(app: FastifyInstance, { ctx, checkSchema }: ObjectRouteOptions) {
  const deps: ObjectDeps = { store: ctx.store, checkSchema, events: ctx.events };

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
      modified_time: "bool",
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
    const visible = await listVisibleObjects(ctx.store, actor, filter, actingUser(actor), q.limit ?? 1000);
    return visible.map(({ obj, access }) =>
      objectToWire(obj, access, q.icon === true, q.modified_time === true),
    );
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
    const sent: ReadonlyFieldsSent = {
      lastModified: src.last_modified != null || src.modified_date != null,
      access: src.access != null,
    };
    const fields = { ...body, type: body.type };
    const ownership = await newObjectOwner(ctx.store, req.actor, fields, sent);
    const { obj, access } = await createObject(deps, req.actor, ownership, fields, sent);
    return objectToWire(obj, access, q.icon === true);
  });

  app.get<{ Params: { id: string } }>("/api/objects/:id", async (req) => {
    const { obj, access } = await readableObject(ctx, req.actor, req.params.id);
    const q = decodeQuery(rawQuery(req.url), { icon: "bool", modified_time: "bool" });
    return objectToWire(obj, access, q.icon === true, q.modified_time === true);
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
    await updateObject(deps, obj, body);
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
    await deleteObject(deps, obj);
    return { result: "ok" };
  });
}
