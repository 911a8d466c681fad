import { ConstraintError, type ConstraintName } from "../types.js";

/** PostgreSQL constraint names (./migrations.ts) and the names the rest of the server knows. */
const NAMES: Record<string, ConstraintName> = {
  users_pkey: "users.username",
  objects_key_app: "objects.key+app",
  apps_only_key: "objects.apps_only_key",
  apps_token_hash_key: "apps.token_hash",
  sessions_token_hash_key: "sessions.token_hash",
};

/** Rethrows a PostgreSQL constraint violation as a ConstraintError; other errors pass. */
export function translateConstraint(err: unknown): never {
  const e = err as { code?: unknown; constraint?: unknown };
  if (e && typeof e.code === "string") {
    const named = typeof e.constraint === "string" ? NAMES[e.constraint] : undefined;
    if (named) throw new ConstraintError(named);
    if (e.code === "23503") throw new ConstraintError("foreign_key");
  }
  throw err;
}
