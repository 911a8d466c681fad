/**
 * An app token kept by this browser: in localStorage with "Remember on this device", otherwise in
 * sessionStorage (gone with the tab). No React and no client: the page's first script
 * (app/boot) reads it too.
 */

const STORAGE_KEY = "heedy-explorer.session";

export interface StoredSession {
  url: string;
  token: string;
}

export function readStored(): { session: StoredSession; remembered: boolean } | null {
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

export function clearStored(): void {
  for (const storage of [window.localStorage, window.sessionStorage]) {
    try {
      storage.removeItem(STORAGE_KEY);
    } catch {
      // Storage may be unavailable; nothing is stored then.
    }
  }
}

export function store(session: StoredSession, remember: boolean): void {
  clearStored();
  try {
    (remember ? window.localStorage : window.sessionStorage).setItem(STORAGE_KEY, JSON.stringify(session));
  } catch {
    // Without storage the session lasts until the page reloads.
  }
}
