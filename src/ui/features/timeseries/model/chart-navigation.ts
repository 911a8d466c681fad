/**
 * Zooming and panning the chart without a mouse drag: keys once the chart has focus, and touch
 * gestures (pinch, two-finger pan, double tap). Pure window arithmetic on [min, max] in seconds;
 * the chart applies the result through the viewer's zoom, like a drag selection.
 */

export type Window = readonly [min: number, max: number];

/** `+`/`-` zoom by this factor around the middle; arrows pan by this share of the window. */
const KEY_ZOOM = 2;
const KEY_PAN = 0.25;

/**
 * What a key does to the window: a new window, "reset" (back to the range before zooming), or null
 * when the key is not the chart's.
 */
export function keyWindow(key: string, w: Window): Window | "reset" | null {
  const [min, max] = w;
  const width = max - min;
  const mid = (min + max) / 2;
  switch (key) {
    case "+":
    case "=":
      return [mid - width / (2 * KEY_ZOOM), mid + width / (2 * KEY_ZOOM)];
    case "-":
    case "_":
      return [mid - (width * KEY_ZOOM) / 2, mid + (width * KEY_ZOOM) / 2];
    case "ArrowLeft":
      return [min - width * KEY_PAN, max - width * KEY_PAN];
    case "ArrowRight":
      return [min + width * KEY_PAN, max + width * KEY_PAN];
    case "Escape":
    case "0":
      return "reset";
    default:
      return null;
  }
}

/** Where a two-finger gesture started: the window, and the fingers' spread and middle (CSS px). */
export interface PinchStart {
  window: Window;
  /** Plot width in CSS px. */
  width: number;
  spread: number;
  centre: number;
}

/**
 * The window while pinching: the time under the fingers' starting middle stays under their
 * current middle (so moving both fingers pans), and the width scales with the spread.
 */
export function pinchWindow(start: PinchStart, spread: number, centre: number): Window {
  const [min, max] = start.window;
  const span = max - min;
  const anchor = min + (start.centre / start.width) * span;
  const factor = spread > 0 && start.spread > 0 ? start.spread / spread : 1;
  const next = span * factor;
  const lo = anchor - (centre / start.width) * next;
  return [lo, lo + next];
}

/** A double tap zooms in twice around the tapped time. */
export function tapZoomWindow(w: Window, at: number): Window {
  const width = (w[1] - w[0]) / KEY_ZOOM;
  const share = w[1] > w[0] ? (at - w[0]) / (w[1] - w[0]) : 0.5;
  return [at - width * share, at + width * (1 - share)];
}
