import { randomUUID } from "node:crypto";
import { formatScopeSet, scopeSet } from "../../core/scopes.js";
import { checkedSettings } from "../app-settings.js";
import { todayUTC } from "../dates.js";
import { appEvent, type EventSink } from "../events/event-of.js";
import { HttpError } from "../http/errors.js";
import { hashToken, newToken } from "../secrets.js";
import type { AppRecord, Store } from "../store/index.js";
import { checkIcon, checkName, checkUsername } from "../validate.js";

/**
 * Creates an app record with a fresh token, the given one (`create --testapp`), or none (`null`).
 * Only the token's hash is kept (decision 4), so the caller shows the returned token once.
 */
export async function createApp(
  store: Store,
  fields: Partial<AppRecord> & { name: string; owner: string },
  token: string | null = newToken(),
): Promise<{ app: AppRecord; token: string | null }> {
  const app: AppRecord = {
    id: randomUUID(),
    description: "",
    icon: "",
    enabled: true,
    created_date: todayUTC(),
    last_access_date: null,
    scope: "",
    settings: {},
    settings_schema: {},
    plugin: null,
    ...fields,
    token_hash: token === null ? null : hashToken(token),
  };
  await store.apps.create(app);
  return { app, token };
}

/** The decoded body of `POST /api/apps` and `PATCH /api/apps/:id`. */
export interface AppFields {
  name?: string;
  description?: string;
  icon?: string;
  owner?: string;
  enabled?: boolean;
  scope?: string;
  settings?: Record<string, unknown>;
  settings_schema?: Record<string, unknown>;
  access_token?: string;
  plugin?: string;
}

/**
 * A new app for `owner` from a request (5.2): settings need a schema and must satisfy it, scopes
 * are normalised, and `access_token: ""` asks for an app without a token.
 */
export async function createAppFor(
  store: Store,
  owner: string,
  body: AppFields & { name: string },
  events?: EventSink,
): Promise<{ app: AppRecord; token: string | null }> {
  if (body.settings !== undefined && body.settings_schema === undefined) {
    throw new HttpError(400, "bad_query: A settings_schema is needed to set app settings");
  }
  const settings_schema = body.settings_schema ?? {};
  const settings = checkedSettings(body.settings ?? {}, settings_schema);
  const made = await createApp(
    store,
    {
      name: checkName(body.name),
      owner,
      description: body.description ?? "",
      icon: checkIcon(body.icon ?? ""),
      enabled: body.enabled ?? true,
      scope: formatScopeSet(scopeSet(body.scope ?? "")),
      settings,
      settings_schema,
      plugin: body.plugin ?? null,
    },
    body.access_token === "" ? null : newToken(),
  );
  events?.publish(appEvent("app_create", made.app));
  return made;
}

/**
 * Applies an app PATCH the requester may make (5.4). Settings are checked against the schema
 * they will have; `access_token` makes a new token (or, with `""`, removes it), which is returned
 * because only its hash is kept.
 */
export async function updateApp(
  store: Store,
  found: AppRecord,
  body: AppFields,
  events?: EventSink,
): Promise<string | undefined> {
  const patch: Partial<AppRecord> = {};
  if (body.name !== undefined) patch.name = checkName(body.name);
  if (body.description !== undefined) patch.description = body.description;
  if (body.icon !== undefined) patch.icon = checkIcon(body.icon);
  if (body.enabled !== undefined) patch.enabled = body.enabled;
  if (body.scope !== undefined) patch.scope = formatScopeSet(scopeSet(body.scope));
  if (body.plugin !== undefined) patch.plugin = body.plugin === "" ? null : body.plugin;
  if (body.owner !== undefined && body.owner !== found.owner) {
    patch.owner = checkUsername(body.owner);
    if (!(await store.users.get(patch.owner))) throw new HttpError(400, "not_found: User was not found");
  }
  if (body.settings !== undefined || body.settings_schema !== undefined) {
    const schema = body.settings_schema ?? found.settings_schema;
    patch.settings = checkedSettings(body.settings ?? found.settings, schema);
    if (body.settings_schema !== undefined) patch.settings_schema = body.settings_schema;
  }
  let token: string | undefined;
  if (body.access_token !== undefined) {
    token = body.access_token === "" ? "" : newToken();
    patch.token_hash = token === "" ? null : hashToken(token);
  }
  await store.apps.update(found.id, patch);
  if (events) {
    const updated = (await store.apps.get(found.id)) ?? { ...found, ...patch };
    events.publish(appEvent("app_update", updated));
    if (patch.settings !== undefined) events.publish(appEvent("app_settings_update", updated));
  }
  return token;
}

/** Removes the app; its objects go with it (5.6). */
export async function deleteApp(store: Store, app: AppRecord, events?: EventSink): Promise<void> {
  await store.apps.delete(app.id);
  events?.publish(appEvent("app_delete", app));
}
