import { useSyncExternalStore } from "react";

/** Whether a media query matches now; re-renders when it changes (false where there is no window). */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      if (typeof window === "undefined" || !window.matchMedia) return () => {};
      const list = window.matchMedia(query);
      list.addEventListener("change", onChange);
      return () => list.removeEventListener("change", onChange);
    },
    () => (typeof window !== "undefined" && window.matchMedia ? window.matchMedia(query).matches : false),
    () => false,
  );
}

/** Phones: the layout where tables become cards (keep in step with the CSS `max-width: 600px`). */
export const NARROW = "(max-width: 600px)";
