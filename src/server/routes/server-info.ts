import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { Capabilities } from "../../core/resources.js";
import { scopeCatalogue } from "../../core/scopes.js";
import { HEEDY_API_VERSION, type ServerContext } from "../context.js";
import { HttpError } from "../http/errors.js";
import { storedSettings } from "../services/user-settings.js";
import { userToWire } from "./users.js";

/** Extensions this server offers beyond heedy (decision 6); the browser app checks this list. */
export const EXTENSIONS = [
  "timeseries.plot",
  "users.admins",
  "timeseries.replace",
  "objects.modified_time",
  "timeseries.aggregate",
] as const;

/** What `GET /api/server/capabilities` answers; the app's page also carries it (http/app-page.ts). */
export function serverCapabilities(ctx: Pick<ServerContext, "version">): Capabilities {
  return { server: "heedy-explorer", version: ctx.version, extensions: [...EXTENSIONS] };
}

/** Changes on every start, so a UI can tell the server restarted (contract 10). */
const RUN_ID = randomUUID();

export async function serverInfoRoutes(app: FastifyInstance, { ctx }: { ctx: ServerContext }) {
  // "Who am I" for a browser UI (contract 10); heedy also inlines it into its HTML.
  app.get("/frontend_context", async (req) => {
    const actor = req.actor;
    const user = actor.kind === "user" ? await ctx.store.users.get(actor.username) : undefined;
    return {
      user: user ? userToWire(user, true) : null,
      settings: user ? await storedSettings(ctx.store, user.username) : null,
      admin: user !== undefined && ctx.adminUsers.has(user.username),
      plugins: [],
      preload: [],
      verbose: false,
      dev_mode: false,
      run_id: RUN_ID,
      version: HEEDY_API_VERSION,
    };
  });

  // heedy answers the version as plain text (contract 10).
  app.get("/api/server/version", async (_req, reply) =>
    reply.type("text/plain; charset=utf-8").send(HEEDY_API_VERSION),
  );

  app.get("/api/server/capabilities", async (): Promise<Capabilities> => serverCapabilities(ctx));

  const usersOnly = () => new HttpError(403, "Only logged in users can list scope");

  app.get("/api/server/scope", async (req) => {
    if (req.actor.kind !== "user" && req.actor.kind !== "plugin") throw usersOnly();
    return scopeCatalogue(ctx.objectTypes);
  });

  app.get<{ Params: { type: string } }>("/api/server/scope/:type", async (req) => {
    if (req.actor.kind !== "user" && req.actor.kind !== "plugin") throw usersOnly();
    if (!ctx.objectTypes.includes(req.params.type))
      throw new HttpError(400, "bad_request: unrecognized object type");
    return {};
  });

  app.get("/api/server/apps", async (req) => {
    if (req.actor.kind !== "user" && req.actor.kind !== "plugin") {
      throw new HttpError(403, "access_denied: Only logged in users can list app templates");
    }
    return [];
  });
}
