import type { OkResult, User as UserData } from "../core/resources.js";
import type { ObjectReadOptions } from "./object-handle.js";
import type { Connection } from "./server.js";
import { type RequestOptions, segment } from "./session.js";

/** Fields accepted by `PATCH /api/users/{username}` (contract 4). */
export interface UserUpdate {
  /** Renames the user (cascades everywhere). */
  username?: string;
  password?: string;
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
      const { password: _password, ...visible } = fields;
      if (this.state) this.state = { ...this.state, ...definedOnly(visible) };
      if (fields.username !== undefined) this.name_ = fields.username;
    }
    return result;
  }

  equals(other: User): boolean {
    return other.username === this.username;
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
