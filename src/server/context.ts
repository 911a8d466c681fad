import type { EventBus } from "./events/bus.js";
import type { HttpLimits } from "./http/limits.js";
import type { Store } from "./store/index.js";

/** How long a browser session lives (heedy.json `session_idle_hours`, `session_max_age_hours`). */
export interface SessionPolicy {
  /** A session unused for this long is over. */
  idleMs: number;
  /** A session this old is over however often it is used; the cookie's Max-Age. */
  maxAgeMs: number;
}

/** What every route needs, built once per server. */
export interface ServerContext {
  store: Store;
  /** The plugin key (X-Heedy-Key), kept in the data folder. */
  pluginKey: string;
  /** Users with admin rights over users and apps (contract section 0). */
  adminUsers: ReadonlySet<string>;
  /** Records a renamed admin in the data folder's configuration, so admin rights follow the rename. */
  renameAdmin(from: string, to: string): void;
  /** Drops a deleted user from the admins, so a later user of that name is not an admin by accident. */
  forgetAdmin(username: string): void;
  /** Grants or revokes admin rights, saved in the data folder's configuration (our extension). */
  setAdmin(username: string, admin: boolean): void;
  sessionPolicy: SessionPolicy;
  /** heedy answers every authentication failure after 1 s (contract 2.1). */
  authFailureDelayMs: number;
  /** Object types this server knows. */
  objectTypes: readonly string[];
  version: string;
  /** What services publish and the events socket relays (contract 10). */
  events: EventBus;
  /** heedy.json's `limits` over the defaults; absent means the defaults. */
  limits?: HttpLimits;
}

export const HEEDY_API_VERSION = "0.6.0";
