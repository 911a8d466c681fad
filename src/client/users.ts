import type { OkResult, UserCreate, User as UserData, UserSession } from "../core/resources.js";
import type { ObjectReadOptions } from "./object-handle.js";
import type { Connection } from "./server.js";
import { type RequestOptions, segment } from "./session.js";

/** Fields accepted by `PATCH /api/users/{username}` (contract 4). */
export interface UserUpdate {
  /** Renames the user (cascades everywhere). */
  username?: string;
  password?: string;
  /** Checked against the current password by this server; heedy refuses the field, so omit it there. */
  old_password?: string;
  name?: string;
  description?: string;
  icon?: string;
  public_read?: boolean;
  users_read?: boolean;
}

/**
 * A user, addressed by username. Creating the handle costs no request (like Python's
 * `a.owner.username`); `read()` fetches the record, which an app may only do with `owner:read`
 * (for its owner) or `users:read`.
 */
export class User {
  private name_: string;
  private state: UserData | undefined;

  constructor(
    private readonly connection: Connection,
    username: string,
    data?: UserData,
  ) {
    this.name_ = username;
    this.state = data;
  }

  get username(): string {
    return this.name_;
  }

  /** The record as of the last `read()`, or undefined before the first one. */
  get data(): Readonly<UserData> | undefined {
    return this.state;
  }

  private get path(): string {
    return `api/users/${segment(this.name_)}`;
  }

  async read(options: ObjectReadOptions = {}): Promise<UserData> {
    const query = options.icon ? { icon: true } : undefined;
    this.state = await this.connection.session.get<UserData>(this.path, query, options);
    return this.state;
  }

  /** `PATCH /api/users/{username}`; merged into the cached record on success. */
  async update(fields: UserUpdate, options?: RequestOptions): Promise<OkResult> {
    const result = await this.connection.session.patch<OkResult>(this.path, fields, options);
    if (result.result === "ok") {
      const { password: _password, old_password: _old, ...visible } = fields;
      if (this.state) this.state = { ...this.state, ...definedOnly(visible) };
      if (fields.username !== undefined) this.name_ = fields.username;
    }
    return result;
  }

  /** `DELETE /api/users/{username}`: the user, their apps and objects (admins, or the user). */
  delete(options?: RequestOptions): Promise<OkResult> {
    return this.connection.session.delete<OkResult>(this.path, undefined, options);
  }

  /** `GET /api/users/{username}/sessions`: the user's own browser sessions (cookie only). */
  sessions(options?: RequestOptions): Promise<UserSession[]> {
    return this.connection.session.get<UserSession[]>(`${this.path}/sessions`, undefined, options);
  }

  /** Signs one session out: its cookie no longer works. */
  endSession(sessionid: string, options?: RequestOptions): Promise<OkResult> {
    return this.connection.session.delete<OkResult>(
      `${this.path}/sessions/${segment(sessionid)}`,
      undefined,
      options,
    );
  }

  equals(other: User): boolean {
    return other.username === this.username;
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** `person.users`: listing and creating users is for admins (contract 4); `get` makes a handle. */
export class Users {
  constructor(private readonly connection: Connection) {}

  /** `GET /api/users` (admins; others get heedy's "unimplemented"). */
  async list(options?: RequestOptions): Promise<User[]> {
    const raw = await this.connection.session.get<UserData[]>("api/users", undefined, options);
    return raw.map((u) => new User(this.connection, u.username, u));
  }

  /** `POST /api/users` (admins); the new user can sign in with the password at once. */
  async create(fields: UserCreate, options?: RequestOptions): Promise<User> {
    await this.connection.session.post<OkResult>("api/users", fields, undefined, options);
    return new User(this.connection, fields.username);
  }

  get(username: string): User {
    return new User(this.connection, username);
  }
}

/**
 * Our `users.admins` extension (listed in capabilities): who is an admin, and granting or
 * revoking it. heedy itself keeps admins in its configuration file only.
 */
export class Admins {
  constructor(private readonly connection: Connection) {}

  list(options?: RequestOptions): Promise<string[]> {
    return this.connection.session.get<string[]>("api/server/admins", undefined, options);
  }

  grant(username: string, options?: RequestOptions): Promise<OkResult> {
    return this.connection.session.json<OkResult>("PUT", `api/server/admins/${segment(username)}`, options);
  }

  revoke(username: string, options?: RequestOptions): Promise<OkResult> {
    return this.connection.session.delete<OkResult>(
      `api/server/admins/${segment(username)}`,
      undefined,
      options,
    );
  }
}
