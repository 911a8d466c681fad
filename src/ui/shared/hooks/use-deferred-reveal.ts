import { startTransition, useCallback, useEffect, useRef, useState } from "react";

/**
 * Parts of a page its first meaningful paint does not need (below the Data tab's chart: the
 * summary, the append form, the table). Rendering them in the same pass as the chart delayed a
 * cold shared link's first draw by their render and layout (measured: ~90 ms on a loaded machine).
 *
 * They render once `reveal()` is called (the chart's first draw, or a view with nothing to draw),
 * after that frame is painted and as a transition, so an urgent update (a refetched chart) is not
 * held up by them; and after `maxWaitMs` in any case, so a slow read never hides them for long.
 */
export function useDeferredReveal(maxWaitMs = 1000): [shown: boolean, reveal: () => void] {
  const [shown, setShown] = useState(false);
  const asked = useRef(false);
  const reveal = useCallback(() => {
    if (asked.current) return;
    asked.current = true;
    const show = () => setTimeout(() => startTransition(() => setShown(true)), 0);
    // rAF runs before the frame's paint, the timeout after it; a hidden tab paints no frames.
    if (document.visibilityState === "hidden") show();
    else requestAnimationFrame(show);
  }, []);
  useEffect(() => {
    const timer = setTimeout(reveal, maxWaitMs);
    return () => clearTimeout(timer);
  }, [reveal, maxWaitMs]);
  return [shown, reveal];
}
