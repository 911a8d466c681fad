/**
 * Who we are talking to and how (zustand: session state only; server data lives in react-query).
 * Two modes: an app token ("Remember on this device" keeps it in localStorage, otherwise in
 * sessionStorage, gone with the tab), or a person signed in with a password, whose session is an
 * HttpOnly cookie: nothing of it is stored or readable here, so at start-up we ask the server
 * (`/frontend_context`) whether the browser is still signed in.
 */
import { create } from "zustand";
import {
  App,
  type AppData,
  errorKind,
  HeedyError,
  Person,
  resolveBaseUrl,
  type UserData,
} from "../../../client/index";
import { pageClientOptions } from "../api/early-reads";
import { seedPageCapabilities } from "../api/page-capabilities";
import { clearStored, readStored, store } from "./stored-session";

/** The client of either mode; both list and reach objects the same way. */
export type ExplorerClient = App | Person;

export interface PersonInfo {
  user: UserData;
  admin: boolean;
}

export type LoginProblem =
  | "token_rejected"
  | "unreachable"
  | "not_heedy"
  | "failed"
  | "wrong_password"
  | "rate_limited"
  | "session_ended";

export interface LoginError {
  problem: LoginProblem;
  message: string;
}

interface SessionState {
  /** `checking` while a stored or linked token is being verified at start-up. */
  status: "checking" | "signed-out" | "signed-in";
  mode: "app" | "person" | null;
  client: ExplorerClient | null;
  /**
   * The client whose credentials are being checked (start-up, sign-in). A shared link's page may
   * start its reads with it while the check runs; it becomes `client` when the check succeeds.
   */
  pending: ExplorerClient | null;
  /** The app record of `GET /api/apps/self`, as of sign-in (app mode). */
  app: AppData | null;
  /** The signed-in person and whether heedy.json makes them an admin (person mode). */
  person: PersonInfo | null;
  url: string;
  remembered: boolean;
  /** Why the last sign-in failed, or why we were signed out (a 401 during work). */
  loginError: LoginError | null;
  signIn(url: string, token: string, remember: boolean): Promise<boolean>;
  /** Password sign-in on this page's own server (the cookie belongs to this origin). */
  signInPerson(username: string, password: string): Promise<boolean>;
  /** Ends the session; a person's is ended on the server too (`POST /auth/logout`). */
  signOut(reason?: LoginError): void;
  /** Re-reads who the cookie signs in as; signs out when the session ended elsewhere. */
  refreshPerson(): Promise<void>;
}

function isCrossOrigin(url: string): boolean {
  try {
    return typeof window !== "undefined" && new URL(url).origin !== window.location.origin;
  } catch {
    return false;
  }
}

/** Tells the three login failures of the issue apart, in words a person can act on. */
export function describeLoginError(err: unknown, url: string): LoginError {
  switch (errorKind(err)) {
    case "token_rejected":
      return {
        problem: "token_rejected",
        message: "The server rejected this token. Check that it is the app's current access token.",
      };
    case "unreachable":
      return {
        problem: "unreachable",
        message:
          `Could not reach ${url}. Check the address and that the server is running.` +
          (isCrossOrigin(url)
            ? " A server on another origin must also allow this page (CORS); heedy does not, so open the explorer from that server itself."
            : ""),
      };
    case "not_heedy":
      return {
        problem: "not_heedy",
        message: `${url} answered, but not like a heedy server. Check the address.`,
      };
    default:
      return {
        problem: "failed",
        message:
          err instanceof HeedyError ? `Sign-in failed: ${err.message}` : `Sign-in failed: ${String(err)}`,
      };
  }
}

function waitWords(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.ceil(seconds))} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}

/** A password sign-in's failure in plain words, including the login limiter's wait. */
export function describePasswordError(err: unknown, url: string): LoginError {
  if (err instanceof HeedyError && err.status === 429) {
    const wait = err.retryAfterS ?? Number(/(\d+) seconds/.exec(err.errorDescription)?.[1] ?? 60);
    return {
      problem: "rate_limited",
      message: `Too many attempts, try again in ${waitWords(wait)}.`,
    };
  }
  if (err instanceof HeedyError && err.error === "access_denied" && err.status === 400) {
    return { problem: "wrong_password", message: "Wrong username or password." };
  }
  if (errorKind(err) === "unreachable" || errorKind(err) === "not_heedy") return describeLoginError(err, url);
  return {
    problem: "failed",
    message: err instanceof HeedyError ? `The server refused: ${err.errorDescription}` : String(err),
  };
}

function looksLikeApp(value: unknown): value is AppData {
  const v = value as Partial<AppData> | null;
  return typeof v === "object" && v !== null && typeof v.id === "string" && typeof v.owner === "string";
}

export const useSession = create<SessionState>()((set) => ({
  status: "signed-out",
  mode: null,
  client: null,
  pending: null,
  app: null,
  person: null,
  url: "",
  remembered: false,
  loginError: null,

  async signIn(url, token, remember) {
    const base = resolveBaseUrl(url || undefined);
    const client = new App(token.trim(), base, pageClientOptions(base));
    seedPageCapabilities(client, base);
    // 2.2: the token is checked by reading the app it belongs to. Asked for before `pending`
    // lets a shared link's reads start with the client: the page waits for this answer, so it
    // must not queue behind them for one of the browser's few connections to the server.
    const check = client.read();
    set({ pending: client });
    try {
      const app = await check;
      if (!looksLikeApp(app)) {
        set({
          status: "signed-out",
          pending: null,
          loginError: { problem: "not_heedy", message: `${base} answered, but not like a heedy server.` },
        });
        return false;
      }
      store({ url: base, token: token.trim() }, remember);
      set({
        status: "signed-in",
        mode: "app",
        client,
        pending: null,
        app,
        person: null,
        url: base,
        remembered: remember,
        loginError: null,
      });
      return true;
    } catch (err) {
      const loginError = describeLoginError(err, base);
      // A refused token is gone for good; an unreachable server may come back, so a remembered
      // session stays for the next visit.
      if (loginError.problem !== "unreachable") clearStored();
      set({
        status: "signed-out",
        mode: null,
        client: null,
        pending: null,
        app: null,
        person: null,
        url: base,
        loginError,
      });
      return false;
    }
  },

  async signInPerson(username, password) {
    const base = resolveBaseUrl();
    try {
      const person = await Person.signIn(username, password, base);
      seedPageCapabilities(person, base);
      const context = await person.context();
      if (!context.user) {
        set({
          status: "signed-out",
          loginError: {
            problem: "failed",
            message: "The server accepted the password but the browser kept no session. Are cookies blocked?",
          },
        });
        return false;
      }
      // An app token of this tab would otherwise win over the cookie at the next start.
      clearStored();
      set({
        status: "signed-in",
        mode: "person",
        client: person,
        app: null,
        person: { user: context.user, admin: context.admin === true },
        url: base,
        remembered: false,
        loginError: null,
      });
      return true;
    } catch (err) {
      set({
        status: "signed-out",
        client: null,
        mode: null,
        person: null,
        loginError: describePasswordError(err, base),
      });
      return false;
    }
  },

  signOut(reason) {
    const { client } = useSession.getState();
    // The cookie is HttpOnly: only the server can end it. Fire and forget; the page is signed out
    // either way.
    if (client instanceof Person) void client.signOut().catch(() => undefined);
    clearStored();
    set({
      status: "signed-out",
      mode: null,
      client: null,
      app: null,
      person: null,
      loginError: reason ?? null,
    });
  },

  async refreshPerson() {
    const { client } = useSession.getState();
    if (!(client instanceof Person)) return;
    let context: Awaited<ReturnType<Person["context"]>>;
    try {
      context = await client.context();
    } catch {
      return; // Unreachable for a moment: keep the page; the next check decides.
    }
    if (useSession.getState().client !== client) return;
    if (!context.user) {
      set({
        status: "signed-out",
        mode: null,
        client: null,
        app: null,
        person: null,
        loginError: {
          problem: "session_ended",
          message:
            "This browser's session was signed out (from another device, or it expired). Sign in again.",
        },
      });
      return;
    }
    set({ person: { user: context.user, admin: context.admin === true } });
  },
}));

/** A cookie session this browser already has, if any (the cookie itself is out of our reach). */
async function restorePerson(): Promise<boolean> {
  if (!/^https?:$/.test(window.location.protocol)) return false;
  const person = new Person(resolveBaseUrl(), pageClientOptions(resolveBaseUrl()));
  seedPageCapabilities(person, resolveBaseUrl());
  try {
    const context = await person.context();
    if (!context.user) return false;
    useSession.setState({
      status: "signed-in",
      mode: "person",
      client: person,
      app: null,
      person: { user: context.user, admin: context.admin === true },
      url: resolveBaseUrl(),
      loginError: null,
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * Signs in with `#token=…` if the address has it; false when it has none. The token is always
 * checked against this page's own server: a link cannot send the browser to another one.
 */
async function signInFromFragment(): Promise<boolean> {
  const hash = new URLSearchParams(window.location.hash.replace(/^#/, ""));
  const linked = hash.get("token");
  if (linked === null) return false;
  window.history.replaceState(null, "", window.location.pathname + window.location.search);
  useSession.setState({ status: "checking" });
  await useSession.getState().signIn("", linked, false);
  return true;
}

/**
 * Start-up: a `#token=…` link wins over stored credentials; the fragment is removed from the
 * address bar at once (before any request), so the token does not linger in history or get
 * copied with the URL.
 */
export async function restoreSession(): Promise<void> {
  // A link opened in a tab that already shows the app only changes the fragment.
  window.addEventListener("hashchange", () => void signInFromFragment());
  if (await signInFromFragment()) return;
  const stored = readStored();
  useSession.setState({ status: "checking" });
  if (stored) {
    await useSession.getState().signIn(stored.session.url, stored.session.token, stored.remembered);
    return;
  }
  if (!(await restorePerson())) {
    if (useSession.getState().status === "checking") useSession.setState({ status: "signed-out" });
  }
}

/** The client of the signed-in session; components below the login gate may rely on it. */
export function useClient(): ExplorerClient {
  const client = useSession((s) => s.client);
  if (!client) throw new Error("useClient outside a signed-in session");
  return client;
}

/** The person's client, for pages that exist only in person mode (apps, account, users). */
export function usePerson(): Person {
  const client = useSession((s) => s.client);
  if (!(client instanceof Person)) throw new Error("usePerson outside a person's session");
  return client;
}
