/**
 * The address bar as a store (History API). Navigating, editing query parameters and reading the
 * current location live here so shared links and features can move around without knowing the
 * app's route table (app/router.ts parses paths into pages on top of this).
 */
import { useSyncExternalStore } from "react";

const listeners = new Set<() => void>();

function emit(): void {
  for (const l of listeners) l();
}

if (typeof window !== "undefined") window.addEventListener("popstate", emit);

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
  const state = options.state ?? null;
  if (options.replace) window.history.replaceState(state, "", to);
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

/** Changes query parameters of the current view without a new history entry. */
export function setQuery(changes: Record<string, string | undefined>): void {
  navigate(withQuery(changes), { replace: true, state: window.history.state });
}

/**
 * Changes query parameters as a new history entry, so the browser's Back undoes the change and
 * Forward redoes it (zooms and range changes, as in Grafana).
 */
export function pushQuery(changes: Record<string, string | undefined>, state?: unknown): void {
  navigate(withQuery(changes), { state });
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
