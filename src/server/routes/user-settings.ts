import type { FastifyInstance } from "fastify";
import { fullSettingsSchema } from "../app-settings.js";
import type { ServerContext } from "../context.js";
import type { Actor } from "../http/actor.js";
import { accessDenied, HttpError, unimplemented } from "../http/errors.js";
import {
  patchSettings,
  pluginSettings,
  settingsSchemaOf,
  USER_SETTINGS_SCHEMAS,
} from "../services/user-settings.js";

/** Section 4: users reach only their own settings; apps are refused as heedy does; plugins reach all. */
function checkCaller(actor: Actor, username: string, verb: string) {
  if (actor.kind === "plugin") return;
  if (actor.kind === "app") throw unimplemented();
  if (actor.kind === "public") throw accessDenied(`You must be logged in to ${verb} settings`);
  if (actor.username !== username) throw accessDenied(`Cannot ${verb} other users' settings.`);
}

export async function userSettingsRoutes(app: FastifyInstance, { ctx }: { ctx: ServerContext }) {
  app.get<{ Params: { username: string } }>("/api/users/:username/settings", async (req) => {
    checkCaller(req.actor, req.params.username, "read");
    const out: Record<string, unknown> = {};
    for (const plugin of Object.keys(USER_SETTINGS_SCHEMAS))
      out[plugin] = await pluginSettings(ctx.store, req.params.username, plugin);
    return out;
  });

  app.get<{ Params: { username: string; plugin: string } }>(
    "/api/users/:username/settings/:plugin",
    async (req) => {
      checkCaller(req.actor, req.params.username, "read");
      return pluginSettings(ctx.store, req.params.username, req.params.plugin);
    },
  );

  app.patch<{ Params: { username: string; plugin: string } }>(
    "/api/users/:username/settings/:plugin",
    async (req) => {
      checkCaller(req.actor, req.params.username, "modify");
      // An unknown plugin is reported before a malformed body.
      settingsSchemaOf(req.params.plugin);
      const body = req.body;
      if (typeof body !== "object" || body === null || Array.isArray(body)) {
        throw new HttpError(400, "json: cannot unmarshal into Go value of type map[string]interface {}");
      }
      await patchSettings(
        ctx.store,
        req.params.username,
        req.params.plugin,
        body as Record<string, unknown>,
        ctx.events,
      );
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
