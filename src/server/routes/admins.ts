import type { FastifyInstance } from "fastify";
import type { ServerContext } from "../context.js";
import type { Actor } from "../http/actor.js";
import { accessDenied, HttpError } from "../http/errors.js";

/**
 * Our extension `users.admins` (decision 5): heedy keeps its admins in `heedy.json` and offers no
 * request to change them, so granting admin meant editing a file. Only admins (and the plugin key)
 * may read or change the list; it is saved back to `heedy.json`.
 */
export async function adminRoutes(app: FastifyInstance, { ctx }: { ctx: ServerContext }) {
  const requireAdmin = (actor: Actor) => {
    if (actor.kind === "plugin") return;
    if (actor.kind === "user" && ctx.adminUsers.has(actor.username)) return;
    throw accessDenied("Only admins can manage admins");
  };

  app.get("/api/server/admins", async (req) => {
    requireAdmin(req.actor);
    return [...ctx.adminUsers].sort();
  });

  app.put<{ Params: { username: string } }>("/api/server/admins/:username", async (req) => {
    requireAdmin(req.actor);
    if (!(await ctx.store.users.get(req.params.username))) {
      throw new HttpError(400, "not_found: User was not found");
    }
    ctx.setAdmin(req.params.username, true);
    return { result: "ok" };
  });

  app.delete<{ Params: { username: string } }>("/api/server/admins/:username", async (req) => {
    requireAdmin(req.actor);
    const { username } = req.params;
    if (!ctx.adminUsers.has(username)) throw new HttpError(400, "not_found: User is not an admin");
    // Nobody could grant admin again through the API.
    if (ctx.adminUsers.size === 1) throw new HttpError(400, "bad_request: The last admin cannot be revoked");
    ctx.setAdmin(username, false);
    return { result: "ok" };
  });
}
