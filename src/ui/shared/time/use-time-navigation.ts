/**
 * Grafana-style time navigation over the range in the URL. Every zoom, pan and range change is a
 * history entry (pushQuery), so Back undoes it and Forward redoes it. The range a zoom started
 * from rides along in history.state, so "Reset zoom" returns there even after Back and Forward.
 */
import { historyState, pushQuery } from "../navigation";
import {
  DEFAULT_RANGE,
  isRelative,
  rangeToSearch,
  shiftWindow,
  type ViewRange,
  zoomOutWindow,
  zoomRange,
} from "./view-range";

interface ZoomState {
  beforeZoom?: ViewRange;
}

function beforeZoom(): ViewRange | undefined {
  const state = historyState() as ZoomState | null;
  return state && typeof state === "object" ? state.beforeZoom : undefined;
}

export interface TimeNavigation {
  /** True while showing a zoomed or fixed window. */
  zoomed: boolean;
  changeRange(next: ViewRange): void;
  zoom(t1: number, t2: number): void;
  zoomOut(): void;
  shift(direction: -1 | 1): void;
  reset(): void;
}

/** True while showing a zoomed or fixed window: `zoomed` of useTimeNavigation, known before any draw. */
export function isZoomed(range: ViewRange): boolean {
  return beforeZoom() !== undefined || (range.kind === "time" && !isRelative(range));
}

/**
 * `shown` is the window on screen (unix seconds), or undefined before anything is drawn; `extra`
 * parameters (e.g. Explore's `per`) go along with a range change unchanged.
 */
export function useTimeNavigation(
  range: ViewRange,
  shown: readonly [number, number] | undefined,
): TimeNavigation {
  const fixedWindow = range.kind === "time" && !isRelative(range);
  const base = beforeZoom();
  const zoomed = base !== undefined || fixedWindow;
  const zoom = (t1: number, t2: number) => {
    if (!(t2 > t1)) return;
    const state: ZoomState = { beforeZoom: base ?? (fixedWindow ? undefined : range) };
    pushQuery(rangeToSearch(zoomRange(t1, t2)), state);
  };
  return {
    zoomed,
    changeRange: (next) => pushQuery(rangeToSearch(next)),
    zoom,
    zoomOut: () => {
      if (!shown || !(shown[1] > shown[0])) return;
      const [t1, t2] = zoomOutWindow(shown[0], shown[1]);
      zoom(t1, t2);
    },
    shift: (direction) => {
      if (!shown || !(shown[1] > shown[0])) return;
      const [t1, t2] = shiftWindow(shown[0], shown[1], direction);
      zoom(t1, t2);
    },
    reset: () => {
      if (!zoomed) return;
      pushQuery(rangeToSearch(base ?? DEFAULT_RANGE));
    },
  };
}
