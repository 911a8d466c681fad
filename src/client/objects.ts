import type { HeedyObject, ObjectCreate } from "../core/resources.js";
import { ObjectHandle, type ObjectReadOptions } from "./object-handle.js";
import { type Connection, MODIFIED_TIME_EXTENSION } from "./server.js";
import { type Query, type RequestOptions, segment } from "./session.js";
import { Timeseries } from "./timeseries.js";

/** Filters of `GET /api/objects` (contract 6.1); the server rejects any other name. */
export interface ObjectFilter {
  /** Owner username; `self` = the requesting user (for apps: the app's owner). */
  owner?: string;
  /** App id; `""` = objects not managed by an app; `self` = the requesting app. */
  app?: string;
  /** Exact key; `""` = objects without a key. */
  key?: string;
  /** The object must carry all of these tags (a space-separated string or a list). */
  tags?: string | readonly string[];
  type?: string;
  /** At most this many objects (the server's default is 1000). */
  limit?: number;
  /** Include icons. */
  icon?: boolean;
  /**
   * Include `modified_time` (unix seconds of the last data write) where the server offers the
   * `objects.modified_time` extension; ignored on a real heedy, which only has the day.
   */
  modifiedTime?: boolean;
}

/** Fields of a new object besides its name; `type` defaults to `timeseries`, as in Python. */
export type ObjectCreateFields = Omit<ObjectCreate, "name">;

/** A handle of the right class for the object's type. */
export function objectHandle(connection: Connection, data: HeedyObject): ObjectHandle {
  return data.type === "timeseries" ? new Timeseries(connection, data) : new ObjectHandle(connection, data);
}

export function isTimeseries<D = unknown>(object: ObjectHandle): object is Timeseries<D> {
  return object instanceof Timeseries;
}

/**
 * `app.objects`: call it to list (`await app.objects({tags: "x"})`, Python's `h.objects(tags="x")`),
 * or use its methods to create and read one object.
 */
export interface Objects {
  (filter?: ObjectFilter & RequestOptions): Promise<ObjectHandle[]>;
  /** Same as calling the collection. */
  list(filter?: ObjectFilter & RequestOptions): Promise<ObjectHandle[]>;
  /** `GET /api/objects/{id}`. */
  get(id: string, options?: ObjectReadOptions): Promise<ObjectHandle>;
  /** Reads an object that must be a timeseries (TypeError otherwise). */
  timeseries<D = unknown>(id: string, options?: ObjectReadOptions): Promise<Timeseries<D>>;
  /**
   * `POST /api/objects`; answers the created object. `D` is the type of the timeseries' data portion
   * (the server enforces it only through `meta.schema`).
   */
  create<D = unknown>(
    name: string,
    fields?: ObjectCreateFields & { type?: "timeseries" },
    options?: RequestOptions,
  ): Promise<Timeseries<D>>;
  create(name: string, fields: ObjectCreateFields, options?: RequestOptions): Promise<ObjectHandle>;
}

/**
 * Builds an object collection. `constraint` is merged into every listing and creation: an App
 * passes `{app: "self"}` (contract 11: `a.objects()` is `GET api/objects?app=self`), a Plugin nothing.
 */
export function objectsCollection(connection: Connection, constraint: { app?: string } = {}): Objects {
  const { session } = connection;

  const list = async (filter: ObjectFilter & RequestOptions = {}): Promise<ObjectHandle[]> => {
    const tags =
      typeof filter.tags === "string" || filter.tags === undefined ? filter.tags : filter.tags.join(" ");
    const query: Query = {
      app: filter.app ?? constraint.app,
      owner: filter.owner,
      key: filter.key,
      tags,
      type: filter.type,
      limit: filter.limit,
      icon: filter.icon || undefined,
      modified_time:
        filter.modifiedTime &&
        (await connection.server.hasExtension(MODIFIED_TIME_EXTENSION, { signal: filter.signal }))
          ? true
          : undefined,
    };
    const raw = await session.get<unknown>("api/objects", query, { signal: filter.signal });
    if (!Array.isArray(raw)) throw new TypeError("The object listing is not an array");
    return raw.map((o: HeedyObject) => objectHandle(connection, o));
  };

  const get = async (id: string, options: ObjectReadOptions = {}): Promise<ObjectHandle> => {
    const query = options.icon ? { icon: true } : undefined;
    const raw = await session.get<HeedyObject>(`api/objects/${segment(id)}`, query, options);
    return objectHandle(connection, raw);
  };

  const timeseries = async <D = unknown>(id: string, options?: ObjectReadOptions): Promise<Timeseries<D>> => {
    const object = await get(id, options);
    if (!(object instanceof Timeseries)) {
      throw new TypeError(`Object ${id} is a ${object.type}, not a timeseries`);
    }
    return object as Timeseries<D>;
  };

  async function create<D = unknown>(
    name: string,
    fields?: ObjectCreateFields & { type?: "timeseries" },
    options?: RequestOptions,
  ): Promise<Timeseries<D>>;
  async function create(
    name: string,
    fields: ObjectCreateFields,
    options?: RequestOptions,
  ): Promise<ObjectHandle>;
  async function create(
    name: string,
    fields: ObjectCreateFields = {},
    options?: RequestOptions,
  ): Promise<ObjectHandle> {
    // The body Python sends: {"app":"self","name":...,"type":"timeseries","meta":{}, ...kwargs}.
    const body: Record<string, unknown> = { ...constraint, name, type: "timeseries", meta: {} };
    for (const [field, value] of Object.entries(fields)) if (value !== undefined) body[field] = value;
    const raw = await session.post<HeedyObject>("api/objects", body, undefined, options);
    return objectHandle(connection, raw);
  }

  return Object.assign(list, { list, get, timeseries, create });
}
