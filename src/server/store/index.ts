import type { TimeseriesStore } from "./timeseries.js";
import type { AppStore, KvStore, ObjectStore, SessionStore, UserSettingsStore, UserStore } from "./types.js";

export * from "./types.js";

/** Everything the server keeps. One implementation per database (./sqlite, ./postgres). */
export interface Store {
  users: UserStore;
  apps: AppStore;
  objects: ObjectStore;
  sessions: SessionStore;
  kv: KvStore;
  settings: UserSettingsStore;
  timeseries: TimeseriesStore;
  /**
   * Runs `fn` atomically: every write through `tx` commits together or not at all, and a throw
   * rolls them back. Inside, use only `tx` (on SQLite the outer store waits for the transaction
   * to end). A transaction inside a transaction joins it.
   */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
