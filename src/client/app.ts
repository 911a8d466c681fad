import type { App as AppData, OkResult } from "../core/resources.js";
import { EventStream, type EventStreamOptions } from "./events.js";
import { KV } from "./kv.js";
import type { ObjectHandle, ObjectReadOptions } from "./object-handle.js";
import { type ObjectFilter, type Objects, objectsCollection } from "./objects.js";
import { type Connection, type ServerCapabilities, ServerInfo } from "./server.js";
import { type RequestOptions, Session, type SessionOptions, segment } from "./session.js";
import { User } from "./users.js";

/**
 * What both entry points offer: server facts, unconstrained object listing and user handles.
 * Everything made from one client shares its Session (credentials) and ServerInfo (capabilities).
 */
export abstract class Client implements Connection {
  readonly session: Session;
  readonly server: ServerInfo;
  private readonly allObjects: Objects;

  protected constructor(session: Session) {
    this.session = session;
    this.server = new ServerInfo(session);
    this.allObjects = objectsCollection(this);
  }

  /** The base URL requests are sent to (always ends in `/`). */
  get url(): string {
    return this.session.baseUrl;
  }

  /** `GET /api/server/capabilities`; `{server: "heedy", extensions: []}` from a real heedy. */
  capabilities(options?: RequestOptions): Promise<ServerCapabilities> {
    return this.server.capabilities(options);
  }

  /** `GET /api/server/version` (plain text, e.g. `0.6.0`). */
  version(options?: RequestOptions): Promise<string> {
    return this.server.version(options);
  }

  /** `GET /api/objects` with exactly the given filters (no `app=self` added). */
  listObjects(filter?: ObjectFilter & RequestOptions): Promise<ObjectHandle[]> {
    return this.allObjects(filter);
  }

  /**
   * Opens heedy's events socket (`/api/events`). Subscribe with `stream.subscribe(filter, fn)`;
   * close it when done. An app may follow its own id (`{event: "*", app: id}`) and objects it
   * can read (`{event: "*", object: id}`).
   */
  events(options?: EventStreamOptions): EventStream {
    return new EventStream(this.session, options);
  }

  /** A handle for a user; no request is made until you call `read()` or `update()` on it. */
  user(username: string): User {
    return new User(this, username);
  }
}

/** Fields accepted by `PATCH /api/apps/{id}` (contract 5.4). An app may not change its own scope. */
export interface AppUpdate {
  name?: string;
  description?: string;
  icon?: string;
  enabled?: boolean;
  settings?: Record<string, unknown>;
  settings_schema?: Record<string, unknown>;
  /**
   * `true` (or any non-empty string) regenerates the token, `false` or `""` removes it. After a
   * regeneration this App, and every handle made from it, continues with the new token.
   */
  access_token?: boolean | string;
}

export interface AppReadOptions extends ObjectReadOptions {
  /** Include the access token (our server answers `""`, since it stores tokens hashed: decision 4). */
  token?: boolean;
}

/**
 * Access as an app, with its access token: `new App(token, url?)`. Constructing it makes no request;
 * it stands for `api/apps/self`, and its `id` stays `"self"` until the first `read()`.
 */
export class App extends Client {
  /** The app's objects: listing and creation are limited to this app (`app=self`). */
  readonly objects: Objects;
  /** The app's own key-value namespace, `api/kv/apps/self/self`. */
  readonly kv: KV;
  private state: AppData | undefined;

  constructor(token: string, url?: string, options: SessionOptions = {}) {
    super(new Session(url, { Authorization: `Bearer ${token}` }, options));
    this.objects = objectsCollection(this, { app: "self" });
    this.kv = new KV(this.session, "api/kv/apps/self/self");
  }

  /** The app's id once read, `"self"` before. */
  get id(): string {
    return this.state?.id ?? "self";
  }

  /** The record as of the last `read()`. */
  get data(): Readonly<AppData> | undefined {
    return this.state;
  }

  /** `GET /api/apps/self`. */
  async read(options: AppReadOptions = {}): Promise<AppData> {
    const query = { icon: options.icon || undefined, token: options.token || undefined };
    this.state = await this.session.get<AppData>("api/apps/self", query, options);
    return this.state;
  }

  /** `PATCH /api/apps/self`; answers `{"result":"ok"}` (plus `access_token` when it changed). */
  async update(fields: AppUpdate, options?: RequestOptions): Promise<OkResult> {
    const body: Record<string, unknown> = { ...fields };
    // Python sends "generate" for access_token=True; any non-empty string regenerates (5.4).
    if (fields.access_token === true) body.access_token = "generate";
    if (fields.access_token === false) body.access_token = "";
    const result = await this.session.patch<OkResult>("api/apps/self", body, options);
    if (result.result !== "ok") return result;
    if (typeof result.access_token === "string" && result.access_token !== "") {
      this.session.setHeader("Authorization", `Bearer ${result.access_token}`);
    }
    if (this.state) {
      const { access_token: _token, ...rest } = body;
      this.state = { ...this.state, ...(rest as Partial<AppData>) };
    }
    return result;
  }

  /** The owning user: `GET /api/apps/self` for the owner's name, then a User handle (contract 11). */
  async owner(options?: RequestOptions): Promise<User> {
    const app = await this.read(options);
    return new User(this, app.owner);
  }
}

/** Who a plugin acts as (`X-Heedy-As`, contract 2.3): `heedy`, `public`, `<user>` or `<user>/<appid>`. */
export interface PluginOptions extends SessionOptions {
  as?: string;
}

/**
 * Access with a plugin key (`X-Heedy-Key`), as heedy plugins have. heedy accepts the key only on its
 * plugin API socket, so `url` must point there (contract 2.3).
 */
export class Plugin extends Client {
  /** All objects the acting identity can see; creating one needs `owner` or `app` in the fields. */
  readonly objects: Objects;
  private readonly key: string;
  private readonly options: PluginOptions;

  constructor(key: string, url?: string, options: PluginOptions = {}) {
    const auth: Record<string, string> = { "X-Heedy-Key": key };
    if (options.as !== undefined) auth["X-Heedy-As"] = options.as;
    super(new Session(url, auth, options));
    this.key = key;
    this.options = options;
    this.objects = objectsCollection(this);
  }

  /** The identity this plugin acts as (`heedy` when not set). */
  get actingAs(): string {
    return this.options.as ?? "heedy";
  }

  /** The same plugin acting as someone else: a user (`alice`), an app (`alice/<appid>`), `public`. */
  as(who: string): Plugin {
    return new Plugin(this.key, this.session.baseUrl, { ...this.options, as: who });
  }

  /** A key-value namespace of a user, app or object (plugins may use all of them, contract 9). */
  kv(kind: "users" | "apps" | "objects", id: string, namespace: string): KV {
    return new KV(this.session, `api/kv/${kind}/${segment(id)}/${segment(namespace)}`);
  }
}
