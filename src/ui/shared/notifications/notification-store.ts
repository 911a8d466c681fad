/**
 * The one error path of the app (bulletproof-react): every failed query and mutation ends here
 * (see app/query-client.ts), is shown as a notification, and a 401 signs the session out. Nothing is only
 * written to the console.
 */
import { create } from "zustand";
import { errorKind, HeedyError, isAbortError } from "../../../client/index";
import { useSession } from "../session/session-store";
import { useConnection } from "./connection-store";
import { plainError } from "./error-text";

export interface Notification {
  id: number;
  tone: "error" | "success" | "info";
  title: string;
  detail?: string;
  /** heedy's error code and text, for a small details line. */
  code?: string;
  /** How many times the same notification was raised while shown. */
  repeats: number;
}

interface NotificationState {
  items: Notification[];
  push(n: Omit<Notification, "id" | "repeats">): number;
  dismiss(id: number): void;
}

let nextId = 1;

export const useNotifications = create<NotificationState>()((set, get) => ({
  items: [],
  push(n) {
    const same = get().items.find((i) => i.tone === n.tone && i.title === n.title && i.detail === n.detail);
    if (same) {
      // The same message again is counted, not stacked: a repeated failure must not fill the screen.
      set((s) => ({ items: s.items.map((i) => (i === same ? { ...i, repeats: i.repeats + 1 } : i)) }));
      return same.id;
    }
    const id = nextId++;
    // Keep the last few; a burst of different failures should not fill the screen either.
    set((s) => ({ items: [...s.items.slice(-3), { ...n, id, repeats: 1 }] }));
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

/** The plain sentence for an error, with heedy's code after it; for places that show one line of text. */
export function errorDetail(err: unknown): string {
  return plainError(err).sentence;
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
  if (errorKind(err) === "unreachable") {
    // One banner for a dropped connection (app/ConnectionBanner.tsx), never a toast per request.
    useConnection.getState().markUnreachable();
    return;
  }
  if (options.quiet) return;
  const plain = plainError(err);
  useNotifications.getState().push({
    tone: "error",
    title: errorTitle(err),
    detail: plain.sentence,
    code: plain.code,
  });
}

export function notifySuccess(title: string): void {
  useNotifications.getState().push({ tone: "success", title });
}
