/**
 * The address bar as a store (History API). Navigating, editing query parameters and reading the
 * current location live here so shared links and features can move around without knowing the
 * app's route table (app/router.ts parses paths into pages on top of this).
 */
import { useEffect, useSyncExternalStore } from "react";
import { create } from "zustand";

const listeners = new Set<() => void>();
/** The address the app shows, so a refused Back can put it back. */
let shown = typeof window === "undefined" ? "/" : snapshot();

function emit(): void {
  shown = snapshot();
  for (const l of listeners) l();
}

/**
 * Something on the page that would be lost by going to `to` (a path with query): answers with a
 * sentence saying what, or null when leaving is fine.
 */
export type LeaveGuard = (to: string) => string | null;

const guards = new Set<LeaveGuard>();

function blockingReason(to: string): string | null {
  for (const guard of guards) {
    const reason = guard(to);
    if (reason) return reason;
  }
  return null;
}

/** A navigation held back by a guard, waiting for the person's answer (shared/components/LeaveDialog). */
export const usePendingLeave = create<{
  to: string | null;
  reason: string;
  replace: boolean;
  state: unknown;
}>()(() => ({
  to: null,
  reason: "",
  replace: false,
  state: null,
}));

/** Goes ahead with the held navigation. */
export function confirmLeave(): void {
  const { to, replace, state } = usePendingLeave.getState();
  usePendingLeave.setState({ to: null });
  if (to !== null) go(to, replace, state);
}

export function cancelLeave(): void {
  usePendingLeave.setState({ to: null });
}

/**
 * While `reason` is set, leaving asks first: in-app links, Back and Forward, and closing or
 * reloading the tab (the browser's own prompt). Paths under `within` do not count as leaving (the
 * object's other tabs keep an editor mounted, so its draft survives them). `released` lets a form
 * that just saved navigate at once, before its guard's effect is cleaned up.
 */
export function useLeaveGuard(
  reason: string | null,
  options: { within?: string; released?: { readonly current: boolean } } = {},
): void {
  const { within, released } = options;
  useEffect(() => {
    if (!reason) return;
    const guard: LeaveGuard = (to) => {
      if (released?.current) return null;
      const path = new URL(to, "http://x").pathname;
      if (within && (path === within || path.startsWith(`${within}/`))) return null;
      return reason;
    };
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (!released?.current) e.preventDefault();
    };
    guards.add(guard);
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => {
      guards.delete(guard);
      window.removeEventListener("beforeunload", onBeforeUnload);
    };
  }, [reason, within, released]);
}

if (typeof window !== "undefined") {
  window.addEventListener("popstate", () => {
    const to = snapshot();
    const reason = to === shown ? null : blockingReason(to);
    if (reason) {
      // Back/Forward already moved the address: put it back, and ask.
      window.history.pushState(null, "", shown);
      usePendingLeave.setState({ to, reason, replace: false, state: window.history.state });
      return;
    }
    emit();
  });
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function snapshot(): string {
  return window.location.pathname + window.location.search;
}

/**
 * Goes to a path of this app; `replace` keeps the history entry (for redirects and filters).
 * `state` rides along in history.state (read it with `historyState()`), e.g. the range a zoom
 * started from.
 */
export function navigate(to: string, options: { replace?: boolean; state?: unknown } = {}): void {
  if (to === snapshot()) return;
  const reason = blockingReason(to);
  if (reason) {
    usePendingLeave.setState({ to, reason, replace: options.replace === true, state: options.state ?? null });
    return;
  }
  go(to, options.replace === true, options.state ?? null);
}

function go(to: string, replace: boolean, state: unknown): void {
  if (to === snapshot()) return;
  if (replace) window.history.replaceState(state, "", to);
  else window.history.pushState(state, "", to);
  emit();
}

function withQuery(changes: Record<string, string | undefined>): string {
  const params = new URLSearchParams(window.location.search);
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || v === "") params.delete(k);
    else params.set(k, v);
  }
  const q = params.toString();
  return window.location.pathname + (q ? `?${q}` : "");
}

/**
 * Changes query parameters of the current view without a new history entry. The same view with
 * other parameters leaves nothing behind, so no guard is asked (nor by pushQuery).
 */
export function setQuery(changes: Record<string, string | undefined>): void {
  go(withQuery(changes), true, window.history.state);
}

/**
 * Changes query parameters as a new history entry, so the browser's Back undoes the change and
 * Forward redoes it (zooms and range changes, as in Grafana).
 */
export function pushQuery(changes: Record<string, string | undefined>, state?: unknown): void {
  go(withQuery(changes), false, state ?? null);
}

/** The state stored with the current history entry (null when none). */
export function historyState(): unknown {
  return typeof window === "undefined" ? null : window.history.state;
}

/** Path and query of the current address (`/objects/x?from=now-6h`); re-renders when it changes. */
export function useLocationKey(): string {
  return useSyncExternalStore(subscribe, snapshot, () => "/");
}

let cachedKey = "";
let cachedParams = new URLSearchParams();

/** The current query parameters; the same object until the address changes. */
export function useSearchParams(): URLSearchParams {
  const key = useLocationKey();
  if (key !== cachedKey) {
    cachedKey = key;
    cachedParams = new URL(key, "http://x").searchParams;
  }
  return cachedParams;
}
