import type { FastifyInstance } from "fastify";
import type { ServerContext } from "../context.js";
import { HttpError } from "../http/errors.js";

/** Host headers that name this machine's loopback (with any port). */
const LOOPBACK_HOST = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

/**
 * heedy's Python suite (contract 13) reads a plugin's configuration, key included, from
 * `GET /api/testplugin` without authentication. That hands the plugin key, which acts as anyone,
 * to whoever asks, so the route exists only under `start --testplugin`, which the CLI allows on a
 * loopback address only.
 */
export async function testPluginRoutes(app: FastifyInstance, { ctx }: { ctx: ServerContext }) {
  app.get("/api/testplugin", async (req) => {
    // DNS rebinding would let any web page read the key through a name that resolves here.
    if (!LOOPBACK_HOST.test(req.host)) {
      throw new HttpError(403, "access_denied: The plugin test hook answers only to localhost");
    }
    // The address the request came in on is one the asker can reach this server at (`config.api`).
    const address = req.socket.localAddress ?? "127.0.0.1";
    const host = address.includes(":") ? `[${address}]` : address;
    return {
      plugin: "testplugin",
      apikey: ctx.pluginKey,
      config: { api: `http://${host}:${req.socket.localPort}` },
    };
  });
}
