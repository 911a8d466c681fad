/**
 * The storage interface. Routes see only this; nothing here names SQLite, so a PostgreSQL
 * implementation can stand behind the same interface. Methods are async for that reason.
 */

import { type ConstraintName, constraintWording } from "../../core/constraints.js";

export type { ConstraintName } from "../../core/constraints.js";

export interface UserRecord {
  username: string;
  name: string;
  description: string;
  icon: string;
  public_read: boolean;
  users_read: boolean;
  /** scrypt hash in `scrypt$N$r$p$salt$hash` form; never leaves the server. */
  password_hash: string;
}

export interface AppRecord {
  id: string;
  name: string;
  description: string;
  icon: string;
  owner: string;
  enabled: boolean;
  created_date: string;
  last_access_date: string | null;
  scope: string;
  settings: Record<string, unknown>;
  settings_schema: Record<string, unknown>;
  plugin: string | null;
  /** SHA-256 (hex) of the access token, or null for an app without a token (decision 4). */
  token_hash: string | null;
}

export interface ObjectRecord {
  id: string;
  name: string;
  description: string;
  icon: string;
  owner: string;
  app: string | null;
  tags: string;
  key: string | null;
  type: string;
  meta: Record<string, unknown>;
  created_date: string;
  last_modified: string | null;
  owner_scope: string;
  /**
   * Unix seconds of the last data write (extension `objects.modified_time`); null before the first
   * write, and for writes made before the column existed. Set by `touch`, never by create/update.
   */
  modified_at?: number | null;
}

export interface SessionRecord {
  sessionid: string;
  username: string;
  description: string;
  created_date: string;
  last_access_date: string;
  /** Login time, ms since the epoch: the max-age clock. */
  created_at: number;
  /** Last use, ms since the epoch, recorded at most about once a minute: the idle clock. */
  used_at: number;
}

export interface ObjectFilter {
  owner?: string;
  /** `null` selects objects that belong to no app. */
  app?: string | null;
  /** `null` selects objects without a key. */
  key?: string | null;
  /** The object must carry all of these. */
  tags?: readonly string[];
  type?: string;
}

/**
 * A storage constraint broke. Stores name it; the server renders heedy's wording for the name in
 * one place (http/storage-errors.ts), whichever database reported it.
 */
export class ConstraintError extends Error {
  constructor(readonly constraint: ConstraintName) {
    super(constraintWording(constraint));
    this.name = "ConstraintError";
  }
}

export interface UserStore {
  get(username: string): Promise<UserRecord | undefined>;
  list(): Promise<UserRecord[]>;
  create(user: UserRecord): Promise<void>;
  /** Renaming (`username` in the patch) cascades to apps, objects and sessions. */
  update(username: string, patch: Partial<UserRecord>): Promise<void>;
  delete(username: string): Promise<boolean>;
}

export interface AppStore {
  get(id: string): Promise<AppRecord | undefined>;
  byTokenHash(hash: string): Promise<AppRecord | undefined>;
  list(filter: { owner?: string; plugin?: string | null; enabled?: boolean }): Promise<AppRecord[]>;
  create(app: AppRecord): Promise<void>;
  update(id: string, patch: Partial<AppRecord>): Promise<void>;
  /** Cascades the app's objects, their data and KV. */
  delete(id: string): Promise<boolean>;
}

export interface ObjectStore {
  get(id: string): Promise<ObjectRecord | undefined>;
  list(filter: ObjectFilter): Promise<ObjectRecord[]>;
  create(obj: ObjectRecord): Promise<void>;
  update(id: string, patch: Partial<ObjectRecord>): Promise<void>;
  /** Cascades the object's data and KV. */
  delete(id: string): Promise<boolean>;
  /** Sets `last_modified` (the UTC date of `at`) and `modified_at` after a data write. */
  touch(id: string, at: Date): Promise<void>;
}

export interface SessionStore {
  create(session: SessionRecord, tokenHash: string): Promise<void>;
  byTokenHash(hash: string): Promise<SessionRecord | undefined>;
  list(username: string): Promise<SessionRecord[]>;
  /** Records a use at `at` (ms); `last_access_date` becomes that instant's UTC date. */
  touch(sessionid: string, at: number): Promise<void>;
  delete(sessionid: string): Promise<boolean>;
  /** Ends every session of the user except `keep`; returns how many ended. */
  deleteForUser(username: string, keep?: string): Promise<number>;
  /** Ends sessions last used before `usedBefore` or created before `createdBefore` (ms). */
  deleteExpired(usedBefore: number, createdBefore: number): Promise<number>;
}

export type KvScope = "users" | "apps" | "objects";

export interface KvStore {
  all(scope: KvScope, owner: string, namespace: string): Promise<Record<string, unknown>>;
  get(scope: KvScope, owner: string, namespace: string, key: string): Promise<unknown>;
  /** Replaces the namespace with exactly these pairs. */
  replace(scope: KvScope, owner: string, namespace: string, pairs: Record<string, unknown>): Promise<void>;
  /** Upserts the given pairs. */
  merge(scope: KvScope, owner: string, namespace: string, pairs: Record<string, unknown>): Promise<void>;
  set(scope: KvScope, owner: string, namespace: string, key: string, value: unknown): Promise<void>;
  delete(scope: KvScope, owner: string, namespace: string, key: string): Promise<boolean>;
}

/** Per-user plugin settings (contract 4): one map of values per plugin. */
export interface UserSettingsStore {
  get(username: string, plugin: string): Promise<Record<string, unknown>>;
  /** Sets the given keys; a `null` value deletes the key. */
  patch(username: string, plugin: string, values: Record<string, unknown>): Promise<void>;
}
