import { type RefObject, useLayoutEffect, useState } from "react";
import { type RowWindow, windowRows } from "../model/window-rows";

/**
 * The rows of `count` to render for the element `ref` (the list body) as the page scrolls or
 * resizes. One state update per animation frame at most.
 */
export function useWindowRows(
  ref: RefObject<HTMLElement | null>,
  count: number,
  rowHeight: number,
): RowWindow {
  const [top, setTop] = useState(0);
  const [height, setHeight] = useState(() => (typeof window === "undefined" ? 800 : window.innerHeight));
  useLayoutEffect(() => {
    let frame = 0;
    const measure = () => {
      frame = 0;
      const el = ref.current;
      if (!el) return;
      setTop(Math.round(el.getBoundingClientRect().top));
      setHeight(window.innerHeight);
    };
    const schedule = () => {
      if (frame === 0) frame = requestAnimationFrame(measure);
    };
    measure();
    window.addEventListener("scroll", schedule, { passive: true });
    window.addEventListener("resize", schedule);
    return () => {
      window.removeEventListener("scroll", schedule);
      window.removeEventListener("resize", schedule);
      if (frame) cancelAnimationFrame(frame);
    };
  }, [ref]);
  return windowRows(count, rowHeight, top, height);
}
