import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ServerContext } from "../context.js";
import { accessDenied, HttpError } from "../http/errors.js";
import type { KvScope } from "../store/index.js";

type Params = { scope: KvScope; id: string; namespace: string; key?: string };

function jsonObject(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    const kind = Array.isArray(body) ? "array" : body === null || body === undefined ? "null" : typeof body;
    throw new HttpError(400, `json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`);
  }
  return body as Record<string, unknown>;
}

/** Section 9: three stores with one sub-API; apps reach only their own namespace, plugins all. */
export async function kvRoutes(app: FastifyInstance, { ctx }: { ctx: ServerContext }) {
  /** Where the request's KV lives, after the access rules of section 9 (403 otherwise). */
  function location(req: FastifyRequest<{ Params: Params }>): [KvScope, string, string] {
    const { scope, id, namespace } = req.params;
    const actor = req.actor;
    if (actor.kind === "plugin") return [scope, id, namespace];
    if (actor.kind === "app" && scope === "apps") {
      const me = actor.app.id;
      if ((id === "self" || id === me) && (namespace === "self" || namespace === me)) return ["apps", me, me];
      throw accessDenied("apps don't currently support KV in other apps.", 403);
    }
    throw accessDenied("KV is currently only available to plugins.", 403);
  }

  const base = "/api/kv/:scope(^users$|^apps$|^objects$)/:id/:namespace";

  app.get<{ Params: Params }>(base, async (req) => ctx.store.kv.all(...location(req)));

  app.post<{ Params: Params }>(base, async (req) => {
    const loc = location(req);
    await ctx.store.kv.replace(...loc, jsonObject(req.body));
    return { result: "ok" };
  });

  app.patch<{ Params: Params }>(base, async (req) => {
    const loc = location(req);
    await ctx.store.kv.merge(...loc, jsonObject(req.body));
    return { result: "ok" };
  });

  app.get<{ Params: Params & { key: string } }>(`${base}/:key`, async (req, reply) => {
    const value = await ctx.store.kv.get(...location(req), req.params.key);
    // A bare JSON value (possibly null) must be serialised ourselves: fastify sends strings raw.
    return reply.type("application/json; charset=utf-8").send(JSON.stringify(value));
  });

  app.post<{ Params: Params & { key: string } }>(`${base}/:key`, async (req) => {
    // heedy fails on this route with an SQL binding bug (section 9); it is meant to set the key.
    await ctx.store.kv.set(...location(req), req.params.key, req.body ?? null);
    return { result: "ok" };
  });

  app.delete<{ Params: Params & { key: string } }>(`${base}/:key`, async (req) => {
    if (!(await ctx.store.kv.delete(...location(req), req.params.key))) {
      throw new HttpError(400, "not_found: The selected resource was not found");
    }
    return { result: "ok" };
  });
}
