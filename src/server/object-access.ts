import type { HeedyObject } from "../core/resources.js";
import { accessAllows, appObjectAccess, formatScopeSet, userObjectAccess } from "../core/scopes.js";
import type { ServerContext } from "./context.js";
import type { Actor } from "./http/actor.js";
import { notFound } from "./http/errors.js";
import type { ObjectRecord } from "./store/index.js";

/** The object scopes `actor` holds on `obj` (contract 7.3/7.4); the plugin key holds `*`. */
export function objectAccess(actor: Actor, obj: ObjectRecord): Set<string> {
  switch (actor.kind) {
    case "plugin":
      return new Set(["*"]);
    case "public":
      return new Set();
    case "user":
      return userObjectAccess(actor.username, obj);
    case "app":
      return appObjectAccess(actor.app, obj);
  }
}

/** The object as the requester sees it; fields in the tutorial's order, `key` only when set. */
export function objectToWire(
  obj: ObjectRecord,
  access: ReadonlySet<string>,
  withIcon = false,
  withModifiedTime = false,
): HeedyObject {
  const out: HeedyObject = {
    id: obj.id,
    name: obj.name,
    description: obj.description,
    owner: obj.owner,
    app: obj.app,
    tags: obj.tags,
    ...(obj.key !== null ? { key: obj.key } : {}),
    type: obj.type,
    meta: obj.meta,
    created_date: obj.created_date,
    last_modified: obj.last_modified,
    owner_scope: obj.owner_scope,
    access: formatScopeSet(access),
  };
  if (withIcon) out.icon = obj.icon;
  // Extension objects.modified_time: only when asked, so heedy's object shape stays as it is.
  if (withModifiedTime) out.modified_time = obj.modified_at ?? null;
  return out;
}

/**
 * The read that precedes every `/api/objects/{id}…` request (contract 6.3): a missing object and
 * one the requester cannot read are the same 403 not_found.
 */
export async function readableObject(
  ctx: ServerContext,
  actor: Actor,
  id: string,
): Promise<{ obj: ObjectRecord; access: Set<string> }> {
  return readableAs(actor, await ctx.store.objects.get(id));
}

/** readableObject's checks on a record already read (or undefined when there was none). */
export function readableAs(
  actor: Actor,
  obj: ObjectRecord | undefined,
): { obj: ObjectRecord; access: Set<string> } {
  if (!obj) throw notFound(403);
  const access = objectAccess(actor, obj);
  if (!accessAllows(access, "read")) throw notFound(403);
  return { obj, access };
}
