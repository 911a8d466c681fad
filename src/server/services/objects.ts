/**
 * What object writes mean (contract 6): who owns a new object, the record it becomes, its initial
 * data, and how a PATCH changes it. Routes decode and authorise; these functions take the store
 * and the schema checker as parameters so any store implementation can back them.
 */
import { randomUUID } from "node:crypto";
import { accessAllows, appHasScope, formatScopeSet, scopeSet } from "../../core/scopes.js";
import { todayUTC } from "../dates.js";
import { type EventSink, objectEvent } from "../events/event-of.js";
import type { Actor } from "../http/actor.js";
import { accessDenied, HttpError, notFound } from "../http/errors.js";
import { objectAccess } from "../object-access.js";
import { mergeMeta, metaForCreate, type SchemaChecker } from "../object-meta.js";
import type { ObjectFilter, ObjectRecord, Store } from "../store/index.js";
import { checkIcon, checkName, checkUsername, normaliseSet } from "../validate.js";
import { writeInitialData } from "./timeseries-write.js";

export interface ObjectDeps {
  store: Store;
  checkSchema: SchemaChecker;
  /** Told what changed (contract 10); absent where nobody listens (the CLI). */
  events?: EventSink;
}

/** The decoded body of `POST /api/objects`. */
export interface NewObjectFields {
  name?: string;
  type: string;
  description?: string;
  icon?: string;
  owner?: string;
  app?: string;
  tags?: string;
  key?: string;
  meta?: Record<string, unknown>;
  owner_scope?: string;
  data?: unknown[];
}

/** Fields a client may not send at all; only their presence matters (6.2, 6.4). */
export interface ReadonlyFieldsSent {
  lastModified: boolean;
  access: boolean;
}

/**
 * The objects `actor` sees under `filter`, at most `limit` (negative: all). Decision 3: the limit
 * counts visible objects, not rows before the access filter (12.19).
 */
export async function listVisibleObjects(
  store: Store,
  actor: Actor,
  filter: ObjectFilter,
  ownUsername: string | undefined,
  limit: number,
): Promise<{ obj: ObjectRecord; access: Set<string> }[]> {
  if (actor.kind === "public") return [];
  // Without shares, users and apps only ever see the owner's objects: let the store narrow first.
  const narrowed = { ...filter };
  if (ownUsername !== undefined) {
    if (narrowed.owner === undefined) narrowed.owner = ownUsername;
    if (narrowed.owner !== ownUsername) return [];
  }
  const out: { obj: ObjectRecord; access: Set<string> }[] = [];
  for (const obj of await store.objects.list(narrowed)) {
    if (limit >= 0 && out.length >= limit) break;
    const access = objectAccess(actor, obj);
    if (accessAllows(access, "read")) out.push({ obj, access });
  }
  return out;
}

/**
 * Who a new object belongs to (6.2 steps 1-3), with heedy's refusals in heedy's order: apps create
 * for themselves within their scopes, users for themselves, the plugin key for any owner or app.
 */
export async function newObjectOwner(
  store: Store,
  actor: Actor,
  body: NewObjectFields,
  sent: ReadonlyFieldsSent,
): Promise<{ owner: string; app: string | null }> {
  switch (actor.kind) {
    case "public":
      throw accessDenied("You must be logged in to create objects");
    case "app": {
      if (body.app !== undefined && body.app !== "self" && body.app !== actor.app.id) {
        throw accessDenied("Can't create a object for a different app");
      }
      if (sent.lastModified) throw accessDenied("Last Modified for object is readonly");
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
      return { owner: actor.app.owner, app: actor.app.id };
    }
    case "user":
      if (body.app !== undefined) throw accessDenied("You cannot create objects belonging to an app");
      if (sent.lastModified) throw accessDenied("Last Modified status of object is readonly");
      if (body.owner !== undefined && body.owner !== actor.username && body.owner !== "self") {
        throw accessDenied("Cannot create a object belonging to someone else");
      }
      return { owner: actor.username, app: null };
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
        const target = await store.apps.get(body.app);
        if (!target) throw new HttpError(400, "not_found: The selected resource was not found");
        return { owner: target.owner, app: target.id };
      }
      const owner = checkUsername(body.owner!);
      if (!(await store.users.get(owner))) throw new HttpError(400, "not_found: User was not found");
      return { owner, app: null };
    }
  }
}

/**
 * Creates the object (6.2 steps 4-8) and writes its initial `data` with the creator's rights. A
 * creator that could not read the result, or data that fails, leaves nothing behind.
 */
export async function createObject(
  deps: ObjectDeps,
  actor: Actor,
  ownership: { owner: string; app: string | null },
  body: NewObjectFields,
  sent: ReadonlyFieldsSent,
): Promise<{ obj: ObjectRecord; access: Set<string> }> {
  const { store } = deps;
  if (body.name === undefined) throw new HttpError(400, "bad_request: Invalid name");
  if (body.key === "") throw new HttpError(400, "bad_query: Object key can't be empty string");
  const meta = metaForCreate(body.type, body.meta, deps.checkSchema);
  const icon = checkIcon(body.icon ?? "");
  const name = checkName(body.name);
  if (sent.access) {
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
    owner: ownership.owner,
    app: ownership.app,
    tags: normaliseSet(body.tags ?? ""),
    key: body.key ?? null,
    type: body.type,
    meta,
    // Decision 3: nobody chooses created_date; it is the day the object was made.
    created_date: todayUTC(),
    last_modified: null,
    owner_scope: formatScopeSet(scopeSet(body.owner_scope ?? "*")),
  };
  // One transaction: a creator that cannot read the result, or data that fails, rolls the object
  // back with everything written so far, on every store.
  const created = await store.transaction(async (tx) => {
    await tx.objects.create(obj);
    const access = objectAccess(actor, obj);
    if (!accessAllows(access, "read")) throw notFound(400);
    if (body.data !== undefined && body.data.length > 0) {
      try {
        if (obj.type === "timeseries" && !accessAllows(access, "write")) {
          throw new HttpError(403, "access_denied: Insufficient permissions");
        }
        await writeInitialData(tx, obj, body.data);
      } catch (e) {
        // Creation reports every failure of its data as a 400 (6.2).
        if (e instanceof HttpError && e.status !== 400) throw new HttpError(400, e.message);
        throw e;
      }
    }
    return { obj: (await tx.objects.get(obj.id)) ?? obj, access };
  });
  // Subscribers hear of the object only once it (and its data) is committed.
  deps.events?.publish(objectEvent("object_create", created.obj));
  return created;
}

/** The decoded body of `PATCH /api/objects/:id`. */
export interface ObjectChanges {
  name?: string;
  description?: string;
  icon?: string;
  tags?: string;
  key?: string;
  owner_scope?: string;
  meta?: Record<string, unknown>;
  owner?: string;
  app?: string;
}

/**
 * Applies a PATCH the requester is allowed to make (6.4): checked names and icons, de-duplicated
 * tags, `""` clearing the key, a meta merge, and a new owner or app that must exist.
 */
export async function updateObject(deps: ObjectDeps, obj: ObjectRecord, body: ObjectChanges): Promise<void> {
  const { store } = deps;
  const patch: Partial<ObjectRecord> = {};
  if (body.name !== undefined) patch.name = checkName(body.name);
  if (body.description !== undefined) patch.description = body.description;
  if (body.icon !== undefined) patch.icon = checkIcon(body.icon);
  if (body.tags !== undefined) patch.tags = normaliseSet(body.tags);
  if (body.key !== undefined) patch.key = body.key === "" ? null : body.key;
  if (body.owner_scope !== undefined) patch.owner_scope = formatScopeSet(scopeSet(body.owner_scope));
  if (body.owner !== undefined) {
    patch.owner = checkUsername(body.owner);
    if (!(await store.users.get(patch.owner))) throw new HttpError(400, "not_found: User was not found");
  }
  if (body.app !== undefined) {
    const target = await store.apps.get(body.app);
    if (!target) throw notFound(400);
    patch.app = target.id;
  }
  // An empty meta object changes nothing (the route does not count it as a change either).
  if (body.meta !== undefined && Object.keys(body.meta).length > 0) {
    patch.meta = mergeMeta(obj.type, obj.meta, body.meta, deps.checkSchema);
  }
  await store.objects.update(obj.id, patch);
  const updated = (await store.objects.get(obj.id)) ?? { ...obj, ...patch };
  deps.events?.publish(objectEvent("object_update", updated));
}

/** Removes the object with its data (6.5). */
export async function deleteObject(deps: ObjectDeps, obj: ObjectRecord): Promise<void> {
  await deps.store.objects.delete(obj.id);
  deps.events?.publish(objectEvent("object_delete", obj));
}
