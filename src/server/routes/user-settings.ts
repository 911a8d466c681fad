import type { FastifyInstance } from "fastify";
import { checkedSettings, fullSettingsSchema } from "../app-settings.js";
import type { ServerContext } from "../context.js";
import type { Actor } from "../http/actor.js";
import { accessDenied, HttpError, unimplemented } from "../http/errors.js";

/**
 * The per-user settings of each plugin this server has, as property-map schemas (contract 4, 5.5).
 * heedy's default configuration gives the timeseries plugin one setting, its saved visualizations.
 */
export const USER_SETTINGS_SCHEMAS: Readonly<Record<string, Record<string, unknown>>> = {
  heedy: {},
  timeseries: { visualizations: { type: "array", default: [] } },
};

/** Section 4: users reach only their own settings; apps are refused as heedy does; plugins reach all. */
function checkCaller(actor: Actor, username: string, verb: string) {
  if (actor.kind === "plugin") return;
  if (actor.kind === "app") throw unimplemented();
  if (actor.kind === "public") throw accessDenied(`You must be logged in to ${verb} settings`);
  if (actor.username !== username) throw accessDenied(`Cannot ${verb} other users' settings.`);
}

function schemaOf(plugin: string): Record<string, unknown> {
  const schema = USER_SETTINGS_SCHEMAS[plugin];
  if (!schema) throw new HttpError(400, "Unrecognized plugin");
  return schema;
}

export async function userSettingsRoutes(app: FastifyInstance, { ctx }: { ctx: ServerContext }) {
  const stored = async (username: string, plugin: string) =>
    checkedSettings(await ctx.store.settings.get(username, plugin), schemaOf(plugin));

  app.get<{ Params: { username: string } }>("/api/users/:username/settings", async (req) => {
    checkCaller(req.actor, req.params.username, "read");
    const out: Record<string, unknown> = {};
    for (const plugin of Object.keys(USER_SETTINGS_SCHEMAS))
      out[plugin] = await stored(req.params.username, plugin);
    return out;
  });

  app.get<{ Params: { username: string; plugin: string } }>(
    "/api/users/:username/settings/:plugin",
    async (req) => {
      checkCaller(req.actor, req.params.username, "read");
      return stored(req.params.username, req.params.plugin);
    },
  );

  app.patch<{ Params: { username: string; plugin: string } }>(
    "/api/users/:username/settings/:plugin",
    async (req) => {
      checkCaller(req.actor, req.params.username, "modify");
      const schema = schemaOf(req.params.plugin);
      const body = req.body;
      if (typeof body !== "object" || body === null || Array.isArray(body)) {
        throw new HttpError(400, "json: cannot unmarshal into Go value of type map[string]interface {}");
      }
      const patch = body as Record<string, unknown>;
      // Validate the settings as they will be, then store only what the request changed.
      const next = { ...(await ctx.store.settings.get(req.params.username, req.params.plugin)) };
      for (const [k, v] of Object.entries(patch)) {
        if (v === null) delete next[k];
        else next[k] = v;
      }
      checkedSettings(next, schema);
      await ctx.store.settings.patch(req.params.username, req.params.plugin, patch);
      return { result: "ok" };
    },
  );

  app.get<{ Params: { username: string } }>("/api/users/:username/settings_schema", async (req) => {
    if (req.actor.kind === "app" || req.actor.kind === "public") {
      throw new HttpError(403, "access_denied: Only logged in users can read preference schemas");
    }
    checkCaller(req.actor, req.params.username, "read");
    const out: Record<string, unknown> = {};
    for (const [plugin, schema] of Object.entries(USER_SETTINGS_SCHEMAS))
      out[plugin] = fullSettingsSchema(schema);
    return out;
  });
}
