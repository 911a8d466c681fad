/**
 * Who we are talking to and with which token (zustand: session state only; server data lives in
 * react-query). "Remember on this device" keeps the credentials in localStorage; otherwise they
 * live in sessionStorage and vanish with the tab.
 */
import { create } from "zustand";
import { App, type AppData, errorKind, HeedyError, resolveBaseUrl } from "../../../client/index";

const STORAGE_KEY = "heedy-explorer.session";

export interface StoredSession {
  url: string;
  token: string;
}

export type LoginProblem = "token_rejected" | "unreachable" | "not_heedy" | "failed";

export interface LoginError {
  problem: LoginProblem;
  message: string;
}

interface SessionState {
  /** `checking` while a stored or linked token is being verified at start-up. */
  status: "checking" | "signed-out" | "signed-in";
  client: App | null;
  /** The app record of `GET /api/apps/self`, as of sign-in. */
  app: AppData | null;
  url: string;
  remembered: boolean;
  /** Why the last sign-in failed, or why we were signed out (a 401 during work). */
  loginError: LoginError | null;
  signIn(url: string, token: string, remember: boolean): Promise<boolean>;
  signOut(reason?: LoginError): void;
}

function readStored(): { session: StoredSession; remembered: boolean } | null {
  for (const [storage, remembered] of [
    [window.localStorage, true],
    [window.sessionStorage, false],
  ] as const) {
    try {
      const raw = storage.getItem(STORAGE_KEY);
      if (!raw) continue;
      const value = JSON.parse(raw) as Partial<StoredSession>;
      if (typeof value.token === "string" && typeof value.url === "string") {
        return { session: { url: value.url, token: value.token }, remembered };
      }
    } catch {
      // Unreadable storage (privacy mode, corrupted entry): treat as signed out.
    }
  }
  return null;
}

function clearStored(): void {
  for (const storage of [window.localStorage, window.sessionStorage]) {
    try {
      storage.removeItem(STORAGE_KEY);
    } catch {
      // Storage may be unavailable; nothing is stored then.
    }
  }
}

function store(session: StoredSession, remember: boolean): void {
  clearStored();
  try {
    (remember ? window.localStorage : window.sessionStorage).setItem(STORAGE_KEY, JSON.stringify(session));
  } catch {
    // Without storage the session lasts until the page reloads.
  }
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

function looksLikeApp(value: unknown): value is AppData {
  const v = value as Partial<AppData> | null;
  return typeof v === "object" && v !== null && typeof v.id === "string" && typeof v.owner === "string";
}

export const useSession = create<SessionState>()((set) => ({
  status: "signed-out",
  client: null,
  app: null,
  url: "",
  remembered: false,
  loginError: null,

  async signIn(url, token, remember) {
    const base = resolveBaseUrl(url || undefined);
    const client = new App(token.trim(), base);
    try {
      // 2.2: the token is checked by reading the app it belongs to.
      const app = await client.read();
      if (!looksLikeApp(app)) {
        set({
          status: "signed-out",
          loginError: { problem: "not_heedy", message: `${base} answered, but not like a heedy server.` },
        });
        return false;
      }
      store({ url: base, token: token.trim() }, remember);
      set({ status: "signed-in", client, app, url: base, remembered: remember, loginError: null });
      return true;
    } catch (err) {
      const loginError = describeLoginError(err, base);
      // A refused token is gone for good; an unreachable server may come back, so a remembered
      // session stays for the next visit.
      if (loginError.problem !== "unreachable") clearStored();
      set({ status: "signed-out", client: null, app: null, url: base, loginError });
      return false;
    }
  },

  signOut(reason) {
    clearStored();
    set({ status: "signed-out", client: null, app: null, loginError: reason ?? null });
  },
}));

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
  if (!stored) return;
  useSession.setState({ status: "checking" });
  await useSession.getState().signIn(stored.session.url, stored.session.token, stored.remembered);
}

/** The client of the signed-in session; components below the login gate may rely on it. */
export function useClient(): App {
  const client = useSession((s) => s.client);
  if (!client) throw new Error("useClient outside a signed-in session");
  return client;
}
