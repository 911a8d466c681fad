/**
 * The one error path of the app (bulletproof-react): every failed query and mutation ends here
 * (see app/query-client.ts), is shown as a notification, and a 401 signs the session out. Nothing is only
 * written to the console.
 */
import { create } from "zustand";
import { errorKind, HeedyError, isAbortError } from "../../../client/index";
import { type ConstraintName, constraintOf } from "../../../core/constraints";
import { useSession } from "../session/session-store";

export interface Notification {
  id: number;
  tone: "error" | "success" | "info";
  title: string;
  detail?: string;
}

interface NotificationState {
  items: Notification[];
  push(n: Omit<Notification, "id">): number;
  dismiss(id: number): void;
}

let nextId = 1;

export const useNotifications = create<NotificationState>()((set) => ({
  items: [],
  push(n) {
    const id = nextId++;
    // Keep the last few; a burst of failures (server down) should not fill the screen.
    set((s) => ({ items: [...s.items.slice(-3), { ...n, id }] }));
    if (n.tone !== "error") setTimeout(() => useNotifications.getState().dismiss(id), 4000);
    return id;
  },
  dismiss(id) {
    set((s) => ({ items: s.items.filter((i) => i.id !== id) }));
  },
}));

/** A one-line title for an error, in the user's terms. */
export function errorTitle(err: unknown): string {
  switch (errorKind(err)) {
    case "unreachable":
      return "The server could not be reached";
    case "not_heedy":
      return "The server answered in an unexpected way";
    case "token_rejected":
      return "The token was rejected";
    default:
      if (err instanceof HeedyError) {
        if (err.error === "access_denied") return "Access denied";
        if (err.error === "not_found") return "Not found, or no access";
        return "The server refused the request";
      }
      return "Something went wrong";
  }
}

/**
 * heedy passes storage constraint errors through verbatim (contract 6.2 step 7); say what they
 * mean. core/constraints.ts names the constraint, so no database text is matched here.
 */
const CONSTRAINT_HELP: Partial<Record<ConstraintName, string>> = {
  "objects.key+app": "Another object of this app already uses this key.",
  "objects.apps_only_key": "Only objects that belong to an app can have a key.",
  "users.username": "That username is taken.",
};

export function errorDetail(err: unknown): string {
  if (err instanceof HeedyError) {
    const name = constraintOf(err.errorDescription);
    const help = name && CONSTRAINT_HELP[name];
    return help ? `${help} (${err.message})` : err.message;
  }
  if (err instanceof Error) return err.message;
  return String(err);
}

/**
 * Handles an error from anywhere in the app. `quiet` skips the notification for errors the caller
 * already shows beside its form; a 401 still ends the session.
 */
export function reportError(err: unknown, options: { quiet?: boolean } = {}): void {
  if (isAbortError(err)) return;
  if (errorKind(err) === "token_rejected") {
    const session = useSession.getState();
    if (session.status === "signed-in") {
      session.signOut({
        problem: "token_rejected",
        message: "The server no longer accepts this token (401). Sign in again.",
      });
    }
    return;
  }
  if (options.quiet) return;
  useNotifications.getState().push({ tone: "error", title: errorTitle(err), detail: errorDetail(err) });
}

export function notifySuccess(title: string): void {
  useNotifications.getState().push({ tone: "success", title });
}
