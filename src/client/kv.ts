import type { OkResult } from "../core/resources.js";
import { type RequestOptions, type Session, segment } from "./session.js";

/** JSON values as stored in the key-value store. */
export type KVValues = Record<string, unknown>;

/**
 * One key-value namespace (contract 9), e.g. `app.kv` = `api/kv/apps/self/self`.
 *
 * Python's `a.kv["k"] = v` replaces the whole namespace with `{k: v}` (contract 12.9). Here
 * `set(key, value)` changes only that key (a PATCH, which every heedy accepts), and replacing the
 * namespace is spelled out as `replace(values)`.
 */
export class KV {
  constructor(
    private readonly session: Session,
    /** Path of the namespace, relative to the base URL. */
    readonly path: string,
  ) {}

  /** The whole namespace (`{}` when empty). */
  get(options?: RequestOptions): Promise<KVValues>;
  /** One value; a missing key reads as `null` (contract 9). */
  get(key: string, options?: RequestOptions): Promise<unknown>;
  get(keyOrOptions?: string | RequestOptions, options?: RequestOptions): Promise<unknown> {
    if (typeof keyOrOptions === "string") {
      return this.session.get<unknown>(this.keyPath(keyOrOptions), undefined, options);
    }
    return this.session.get<KVValues>(this.path, undefined, keyOrOptions);
  }

  /** Sets one key, leaving the others alone (`PATCH {key: value}`). */
  set(key: string, value: unknown, options?: RequestOptions): Promise<OkResult> {
    return this.update({ [key]: value }, options);
  }

  /** Upserts the given pairs (`PATCH`); a `null` value is stored as null, it does not delete. */
  update(values: KVValues, options?: RequestOptions): Promise<OkResult> {
    return this.session.patch<OkResult>(this.path, values, options);
  }

  /** Replaces the namespace with exactly these pairs (`POST`). */
  replace(values: KVValues, options?: RequestOptions): Promise<OkResult> {
    return this.session.post<OkResult>(this.path, values, undefined, options);
  }

  /** Deletes one key; a missing key is a 400 `not_found` from the server. */
  delete(key: string, options?: RequestOptions): Promise<OkResult> {
    return this.session.delete<OkResult>(this.keyPath(key), undefined, options);
  }

  private keyPath(key: string): string {
    return `${this.path}/${segment(key)}`;
  }
}
