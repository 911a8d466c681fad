import type { FastifyInstance } from "fastify";

export interface RouteEntry {
  method: string;
  /** The route's pattern as registered, e.g. `/api/objects/:id/timeseries`. */
  url: string;
}

const tables = new WeakMap<FastifyInstance, RouteEntry[]>();

/**
 * Records every route as it is registered, so the reliability suite (auth matrix, HTTP fuzz) walks
 * the real route table: a new route cannot escape it. Must run before any route is added; the
 * root's onRoute hook also sees the routes of encapsulated plugins.
 */
export function recordRoutes(app: FastifyInstance): void {
  const list: RouteEntry[] = [];
  tables.set(app, list);
  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) {
      // fastify adds a HEAD twin for every GET; it answers like the GET.
      if (method !== "HEAD") list.push({ method, url: route.url });
    }
  });
}

export function routeTable(app: FastifyInstance): readonly RouteEntry[] {
  return tables.get(app) ?? [];
}
