/**
 * After a route change, focus moves to the new page's heading, so a screen reader announces the
 * page and Tab continues from its top (a client-side route change otherwise leaves focus on a
 * removed link, i.e. on <body>). The first page load keeps the browser's own start.
 */
import { useEffect, useRef } from "react";

/** The object page draws its h1 once the object is read; wait that long at most. */
const WAIT_MS = 3_000;

export function focusPageHeading(root: ParentNode = document): () => void {
  const started = performance.now();
  let frame = 0;
  const attempt = () => {
    const heading = root.querySelector<HTMLElement>("#main-content h1");
    if (heading) {
      if (!heading.hasAttribute("tabindex")) heading.tabIndex = -1;
      // Only if nothing else took focus meanwhile (a dialog, a field the person clicked).
      const active = document.activeElement;
      if (!active || active === document.body || active.id === "main-content") heading.focus();
      return;
    }
    if (performance.now() - started < WAIT_MS) frame = requestAnimationFrame(attempt);
  };
  frame = requestAnimationFrame(attempt);
  return () => cancelAnimationFrame(frame);
}

/** Focuses the heading whenever `pageKey` (page and object, not the query or tab) changes. */
export function useRouteFocus(pageKey: string): void {
  const first = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the key is the trigger.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    // The old page's focused link is gone: park focus on <main> until the heading exists.
    const active = document.activeElement;
    if (!active || active === document.body || !active.isConnected) {
      document.getElementById("main-content")?.focus({ preventScroll: true });
    }
    return focusPageHeading();
  }, [pageKey]);
}
