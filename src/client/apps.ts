import type { AppCreate, App as AppData, OkResult } from "../core/resources.js";
import type { AppUpdate } from "./app.js";
import type { Connection } from "./server.js";
import { type RequestOptions, segment } from "./session.js";

/** What a person may change on one of their apps; `scope` too, unlike an app on itself. */
export interface OwnedAppUpdate extends Omit<AppUpdate, "access_token" | "settings_schema"> {
  scope?: string;
}

/**
 * A person's apps (contract 5): `person.apps.list()`, `create`, `get`, `update`, `resetToken`,
 * `delete`. Tokens are stored hashed (decision 4), so `create` and `resetToken` are the only
 * places a token is ever seen.
 */
export class Apps {
  constructor(private readonly connection: Connection) {}

  private path(id: string): string {
    return `api/apps/${segment(id)}`;
  }

  /** `GET /api/apps`: the signed-in person's apps (the plugin key may pass `owner`). */
  list(options: { owner?: string } & RequestOptions = {}): Promise<AppData[]> {
    return this.connection.session.get<AppData[]>("api/apps", { owner: options.owner }, options);
  }

  /** `POST /api/apps?token=true`: the new app, with its `access_token` shown this once. */
  create(fields: AppCreate, options?: RequestOptions): Promise<AppData & { access_token: string }> {
    return this.connection.session.post<AppData & { access_token: string }>(
      "api/apps",
      fields,
      { token: true },
      options,
    );
  }

  get(id: string, options?: RequestOptions): Promise<AppData> {
    return this.connection.session.get<AppData>(this.path(id), undefined, options);
  }

  update(id: string, fields: OwnedAppUpdate, options?: RequestOptions): Promise<OkResult> {
    return this.connection.session.patch<OkResult>(this.path(id), fields, options);
  }

  /** Makes a new token (the old one stops working at once) and answers it; it is not kept anywhere. */
  async resetToken(id: string, options?: RequestOptions): Promise<string> {
    const result = await this.connection.session.patch<OkResult>(
      this.path(id),
      { access_token: "generate" },
      options,
    );
    if (typeof result.access_token !== "string" || result.access_token === "") {
      throw new TypeError("The server did not answer a new token");
    }
    return result.access_token;
  }

  /** `DELETE /api/apps/{id}`; the app's objects go with it. */
  delete(id: string, options?: RequestOptions): Promise<OkResult> {
    return this.connection.session.delete<OkResult>(this.path(id), undefined, options);
  }
}
