import type { FastifyInstance } from "fastify";
import type { Capabilities } from "../../core/resources.js";
import { scopeCatalogue } from "../../core/scopes.js";
import { HEEDY_API_VERSION, type ServerContext } from "../context.js";
import { HttpError } from "../http/errors.js";

/** Extensions this server offers beyond heedy (decision 6); the browser app checks this list. */
export const EXTENSIONS = ["timeseries.plot"] as const;

export async function serverInfoRoutes(app: FastifyInstance, { ctx }: { ctx: ServerContext }) {
  // heedy answers the version as plain text (contract 10).
  app.get("/api/server/version", async (_req, reply) =>
    reply.type("text/plain; charset=utf-8").send(HEEDY_API_VERSION),
  );

  app.get(
    "/api/server/capabilities",
    async (): Promise<Capabilities> => ({
      server: "heedy-explorer",
      version: ctx.version,
      extensions: [...EXTENSIONS],
    }),
  );

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
