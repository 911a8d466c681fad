import type { TimeseriesStore } from "./timeseries.js";
import type { AppStore, KvStore, ObjectStore, SessionStore, UserSettingsStore, UserStore } from "./types.js";

export * from "./types.js";

/** Everything the server keeps. One implementation per database (SQLite now; PostgreSQL later). */
export interface Store {
  users: UserStore;
  apps: AppStore;
  objects: ObjectStore;
  sessions: SessionStore;
  kv: KvStore;
  settings: UserSettingsStore;
  timeseries: TimeseriesStore;
  close(): Promise<void>;
}
