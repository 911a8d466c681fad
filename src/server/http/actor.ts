import type { AppRecord } from "../store/index.js";

/** Who is asking (contract section 0). Resolved once per request, before any handler runs. */
export type Actor =
  | { kind: "public" }
  | { kind: "user"; username: string; sessionid?: string }
  | { kind: "app"; app: AppRecord }
  /** The plugin key acting as `heedy`: full administrative access. */
  | { kind: "plugin" };

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor;
    /** The request carried a valid plugin key (whatever X-Heedy-As chose); gates `validate=false`. */
    viaPluginKey: boolean;
  }
}

/** The username whose rights an actor exercises, if any. */
export function actingUser(actor: Actor): string | undefined {
  if (actor.kind === "user") return actor.username;
  if (actor.kind === "app") return actor.app.owner;
  return undefined;
}
