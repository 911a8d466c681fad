import type { DateString, HeedyObject, ObjectUpdate, OkResult } from "../core/resources.js";
import type { Connection } from "./server.js";
import { type RequestOptions, segment } from "./session.js";

/** Options of object reads. */
export interface ObjectReadOptions extends RequestOptions {
  /** Also return the icon (heedy leaves it out unless asked, contract 3). */
  icon?: boolean;
}

/**
 * Brings an object from either server flavour to one shape (decision 1): our server sends
 * `last_modified`, heedy 0.6 sends `modified_date`; `last_modified` is always filled here, and
 * `meta` is always an object.
 */
export function normalizeObject(raw: unknown): HeedyObject {
  if (typeof raw !== "object" || raw === null || typeof (raw as { id?: unknown }).id !== "string") {
    throw new TypeError("The server sent an object without an id");
  }
  const source = raw as HeedyObject;
  const meta = typeof source.meta === "object" && source.meta !== null ? source.meta : {};
  const lastModified: DateString | null =
    source.last_modified !== undefined ? source.last_modified : (source.modified_date ?? null);
  return { ...source, meta: { ...meta }, last_modified: lastModified };
}

/**
 * What a `null` in a meta PATCH leaves behind: required keys are reset to their default rather than
 * removed (contract 6.4; timeseries `schema` → `{}`, and in this project `actor`/`subtype` too).
 */
const META_DEFAULTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  timeseries: { schema: {}, actor: false, subtype: "" },
};

/**
 * The `meta` of an object: cached value plus helpers that merge into it, like Python's
 * `o.meta.update(...)` / `del o.meta.schema`. heedy merges meta key by key (contract 6.4).
 */
export class ObjectMeta {
  constructor(private readonly owner: ObjectHandle) {}

  /** The cached meta (as of the last read or successful update); no request. */
  get value(): Readonly<Record<string, unknown>> {
    return this.owner.data.meta;
  }

  get(key: string): unknown {
    return this.value[key];
  }

  /** Reads the object again and returns its fresh meta. */
  async read(options?: RequestOptions): Promise<Record<string, unknown>> {
    return (await this.owner.read(options)).meta;
  }

  /** `PATCH {"meta": patch}`: sets the given keys and leaves the others alone. */
  update(patch: Record<string, unknown>, options?: RequestOptions): Promise<OkResult> {
    return this.owner.update({ meta: patch }, options);
  }

  /** `PATCH {"meta": {key: null}}`: removes a key, or resets it to its default if it is required. */
  delete(key: string, options?: RequestOptions): Promise<OkResult> {
    return this.owner.update({ meta: { [key]: null } }, options);
  }
}

/**
 * A heedy object. Fields come from the cache filled by the last read (listing, creation or
 * `read()`), so reading them costs no request; call `read()` to refresh. Where Python assigns a
 * property (`ts.owner_scope = "read"`), call `await ts.update({owner_scope: "read"})`.
 */
export class ObjectHandle {
  readonly meta: ObjectMeta;
  protected state: HeedyObject;

  constructor(
    protected readonly connection: Connection,
    data: HeedyObject,
  ) {
    this.state = normalizeObject(data);
    this.meta = new ObjectMeta(this);
  }

  /** The whole cached object. */
  get data(): Readonly<HeedyObject> {
    return this.state;
  }

  get id(): string {
    return this.state.id;
  }
  get name(): string {
    return this.state.name;
  }
  get description(): string {
    return this.state.description;
  }
  get owner(): string {
    return this.state.owner;
  }
  /** Id of the app that manages the object, or null. */
  get app(): string | null {
    return this.state.app;
  }
  /** Space-separated; the server returns elements in any order (contract 3). */
  get tags(): string {
    return this.state.tags;
  }
  get key(): string | undefined {
    return this.state.key;
  }
  get type(): string {
    return this.state.type;
  }
  get owner_scope(): string {
    return this.state.owner_scope;
  }
  /** The requester's scopes on the object, computed by the server per request. */
  get access(): string {
    return this.state.access;
  }
  get created_date(): DateString {
    return this.state.created_date;
  }
  /** Date of the last data write, or null; read from either server flavour (decision 1). */
  get last_modified(): DateString | null {
    return this.state.last_modified ?? null;
  }
  get icon(): string | undefined {
    return this.state.icon;
  }

  protected get path(): string {
    return `api/objects/${segment(this.state.id)}`;
  }

  /** `GET /api/objects/{id}`; refreshes the cache. */
  async read(options: ObjectReadOptions = {}): Promise<HeedyObject> {
    const query = options.icon ? { icon: true } : undefined;
    const raw = await this.connection.session.get<unknown>(this.path, query, options);
    this.state = normalizeObject(raw);
    return this.state;
  }

  /**
   * `PATCH /api/objects/{id}`. heedy answers `{"result":"ok"}`, not the object (contract 12.5), so
   * on success the change is merged into the cache the way the server applies it: meta key by key,
   * `key: ""` removes the key.
   */
  async update(fields: ObjectUpdate, options?: RequestOptions): Promise<OkResult> {
    const result = await this.connection.session.patch<OkResult>(this.path, fields, options);
    if (result.result === "ok") this.state = mergeUpdate(this.state, fields);
    return result;
  }

  /** `DELETE /api/objects/{id}`. */
  delete(options?: RequestOptions): Promise<OkResult> {
    return this.connection.session.delete<OkResult>(this.path, undefined, options);
  }

  /** `JSON.stringify(handle)` gives the cached object, like printing it in Python. */
  toJSON(): HeedyObject {
    return this.state;
  }

  /** Same object (by id), like Python's `==` on objects. */
  equals(other: ObjectHandle): boolean {
    return other.id === this.id;
  }
}

function mergeUpdate(state: HeedyObject, fields: ObjectUpdate): HeedyObject {
  const next: HeedyObject = { ...state };
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (name === "meta") next.meta = mergeMeta(state.type, state.meta, value as Record<string, unknown>);
    else if (name === "key" && value === "") delete next.key;
    else (next as unknown as Record<string, unknown>)[name] = value;
  }
  return next;
}

function mergeMeta(
  type: string,
  meta: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const defaults = META_DEFAULTS[type] ?? {};
  const next = { ...meta };
  for (const [key, value] of Object.entries(patch)) {
    if (value !== null) next[key] = value;
    else if (key in defaults && key in meta) next[key] = defaults[key];
    else delete next[key];
  }
  return next;
}
