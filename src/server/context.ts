import type { HttpLimits } from "./http/limits.js";
import type { Store } from "./store/index.js";

/** What every route needs, built once per server. */
export interface ServerContext {
  store: Store;
  /** The plugin key (X-Heedy-Key), kept in the data folder. */
  pluginKey: string;
  /** Users with admin rights over users and apps (contract section 0). */
  adminUsers: ReadonlySet<string>;
  /** Records a renamed admin in the data folder's configuration, so admin rights follow the rename. */
  renameAdmin(from: string, to: string): void;
  /** heedy answers every authentication failure after 1 s (contract 2.1). */
  authFailureDelayMs: number;
  /** Object types this server knows. */
  objectTypes: readonly string[];
  version: string;
  /** heedy.json's `limits` over the defaults; absent means the defaults. */
  limits?: HttpLimits;
}

export const HEEDY_API_VERSION = "0.6.0";
