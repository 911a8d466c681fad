/**
 * Grafana's time keys: Ctrl+Z (or Cmd+Z) zooms out, `t` then ← or → moves the window, `?` lists
 * the shortcuts. Keys typed into a field are left alone.
 */
import { useEffect, useRef } from "react";

export const TIME_SHORTCUTS: readonly { keys: string; what: string }[] = [
  { keys: "Ctrl+Z", what: "Zoom out ×2 around the centre" },
  { keys: "t ←", what: "Move the window back by half its width" },
  { keys: "t →", what: "Move the window forward by half its width" },
  { keys: "Back / Forward", what: "Undo / redo a zoom or range change (browser buttons, Alt+← / Alt+→)" },
  { keys: "drag", what: "Zoom into the dragged window" },
  { keys: "double-click", what: "Reset the zoom" },
  { keys: "?", what: "Show this list" },
];

export interface ShortcutHandlers {
  zoomOut(): void;
  shift(direction: -1 | 1): void;
  help(): void;
}

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/** How long after `t` an arrow still counts as `t ←`. */
const CHORD_MS = 1500;

export function useTimeShortcuts(handlers: ShortcutHandlers): void {
  const live = useRef(handlers);
  live.current = handlers;
  useEffect(() => {
    let tAt = 0;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || typing(e.target)) return;
      if (document.querySelector("dialog[open]")) return;
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === "z") {
        e.preventDefault();
        live.current.zoomOut();
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === "?") {
        e.preventDefault();
        live.current.help();
        return;
      }
      if (e.key === "t") {
        tAt = Date.now();
        return;
      }
      if ((e.key === "ArrowLeft" || e.key === "ArrowRight") && Date.now() - tAt < CHORD_MS) {
        e.preventDefault();
        tAt = 0;
        live.current.shift(e.key === "ArrowLeft" ? -1 : 1);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
