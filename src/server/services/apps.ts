import { randomUUID } from "node:crypto";
import { todayUTC } from "../dates.js";
import { hashToken, newToken } from "../secrets.js";
import type { AppRecord, Store } from "../store/index.js";

/**
 * Creates an app record with a fresh token, the given one (`create --testapp`), or none (`null`).
 * Only the token's hash is kept (decision 4), so the caller shows the returned token once.
 */
export async function createApp(
  store: Store,
  fields: Partial<AppRecord> & { name: string; owner: string },
  token: string | null = newToken(),
): Promise<{ app: AppRecord; token: string | null }> {
  const app: AppRecord = {
    id: randomUUID(),
    description: "",
    icon: "",
    enabled: true,
    created_date: todayUTC(),
    last_access_date: null,
    scope: "",
    settings: {},
    settings_schema: {},
    plugin: null,
    ...fields,
    token_hash: token === null ? null : hashToken(token),
  };
  await store.apps.create(app);
  return { app, token };
}
