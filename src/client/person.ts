import type { FrontendContext, OkResult } from "../core/resources.js";
import { Client } from "./app.js";
import { Apps } from "./apps.js";
import { type Objects, objectsCollection } from "./objects.js";
import { type RequestOptions, resolveBaseUrl, Session, type SessionOptions } from "./session.js";
import { Admins, type User, Users } from "./users.js";

/** In a page the browser keeps the session cookie; elsewhere (Node) the client must carry it. */
function inBrowser(): boolean {
  return typeof window !== "undefined" && typeof document !== "undefined";
}

/**
 * Access as a person signed in with a password: heedy's browser session (`POST /auth/token` sets
 * an HttpOnly `token` cookie, contract 2.4). In a browser the token never reaches JavaScript: the
 * requests carry the cookie (`credentials: "same-origin"`) and no bearer. In Node, `signIn` keeps
 * the cookie itself and sends the server's own `Origin`, as its pages do, since the server refuses
 * cookie writes from anywhere else.
 */
export class Person extends Client {
  /** Every object the person can see, across all their apps (no `app=self`). */
  readonly objects: Objects;
  readonly apps: Apps;
  readonly users: Users;
  /** Our `users.admins` extension. */
  readonly admins: Admins;

  /** A client for the cookie session the browser already has (check it with `context()`). */
  constructor(url?: string, options: SessionOptions = {}) {
    super(new Session(url, {}, { credentials: "same-origin", ...options }));
    this.objects = objectsCollection(this);
    this.apps = new Apps(this);
    this.users = new Users(this);
    this.admins = new Admins(this);
  }

  /**
   * `POST /auth/token` with `grant_type=password`. A wrong password is a HeedyError
   * (`access_denied`, status 400); too many attempts a 429 whose `retryAfterS` says how long to wait.
   */
  static async signIn(
    username: string,
    password: string,
    url?: string,
    options: SessionOptions = {},
  ): Promise<Person> {
    const login = new Session(url, {}, { credentials: "same-origin", ...options });
    const form = new URLSearchParams({ grant_type: "password", username, password });
    const answer = await login.json<{ access_token: string }>("POST", "auth/token", {
      form,
      signal: options.signal,
    });
    if (inBrowser()) return new Person(url, options);
    const origin = new URL(resolveBaseUrl(url)).origin;
    return new Person(url, {
      ...options,
      headers: { ...options.headers, Cookie: `token=${answer.access_token}`, Origin: origin },
    });
  }

  /** `GET /frontend_context`: the signed-in user (null once the session is over) and `admin`. */
  context(options?: RequestOptions): Promise<FrontendContext> {
    return this.session.get<FrontendContext>("frontend_context", undefined, options);
  }

  /** The signed-in user's handle, or null when the cookie no longer signs anyone in. */
  async me(options?: RequestOptions): Promise<User | null> {
    const context = await this.context(options);
    return context.user ? this.users.get(context.user.username) : null;
  }

  /** `GET /api/server/scope`: every app scope with heedy's one-line explanation. */
  scopes(options?: RequestOptions): Promise<Record<string, string>> {
    return this.session.get<Record<string, string>>("api/server/scope", undefined, options);
  }

  /** `POST /auth/logout`: ends the session on the server and clears the cookie. */
  signOut(options?: RequestOptions): Promise<OkResult> {
    return this.session.post<OkResult>("auth/logout", undefined, undefined, options);
  }
}
