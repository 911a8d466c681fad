/**
 * Per-user plugin settings (contract 4, 5.5): which plugins have them, their schemas, and what a
 * PATCH means.
 */
import { checkedSettings } from "../app-settings.js";
import { type EventSink, userEvent } from "../events/event-of.js";
import { HttpError } from "../http/errors.js";
import type { Store } from "../store/index.js";

/**
 * The per-user settings of each plugin this server has, as property-map schemas (contract 4, 5.5).
 * heedy's default configuration gives the timeseries plugin one setting, its saved visualizations.
 */
export const USER_SETTINGS_SCHEMAS: Readonly<Record<string, Record<string, unknown>>> = {
  heedy: {},
  timeseries: { visualizations: { type: "array", default: [] } },
};

export function settingsSchemaOf(plugin: string): Record<string, unknown> {
  const schema = USER_SETTINGS_SCHEMAS[plugin];
  if (!schema) throw new HttpError(400, "Unrecognized plugin");
  return schema;
}

/** A plugin's settings as stored, with the schema's defaults filled in. */
export async function pluginSettings(store: Store, username: string, plugin: string) {
  return checkedSettings(await store.settings.get(username, plugin), settingsSchemaOf(plugin));
}

/** Every plugin's settings exactly as stored (the frontend context's form, contract 10). */
export async function storedSettings(store: Store, username: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const plugin of Object.keys(USER_SETTINGS_SCHEMAS)) {
    out[plugin] = await store.settings.get(username, plugin);
  }
  return out;
}

/**
 * A settings PATCH: `null` removes a key. The settings are validated as they will be, then only
 * what the request changed is stored.
 */
export async function patchSettings(
  store: Store,
  username: string,
  plugin: string,
  patch: Record<string, unknown>,
  events?: EventSink,
): Promise<void> {
  const schema = settingsSchemaOf(plugin);
  const next = { ...(await store.settings.get(username, plugin)) };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete next[k];
    else next[k] = v;
  }
  checkedSettings(next, schema);
  await store.settings.patch(username, plugin, patch);
  events?.publish({ ...userEvent("user_settings_update", username), plugin });
}
