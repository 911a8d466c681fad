/** Virtual scrolling of the data table: which of a range's rows are in view for a scroll position. */

export const ROW_HEIGHT = 30;
/** On phones each row is a two-line card (time and actions, then duration and data). */
export const CARD_HEIGHT = 64;
const OVERSCAN = 6;
/** Browsers cap element heights (~17M px in Firefox); beyond this the scrollbar maps proportionally. */
const MAX_SCROLL_PX = 8_000_000;

export interface VirtualRows {
  first: number;
  last: number;
  /** Offset of row `first` inside the scrolled content. */
  top: number;
  height: number;
}

const ROW_HEIGHT_DEFAULT = ROW_HEIGHT;

/** Which rows to render for a scroll position (pure; tested on its own). */
export function virtualRows(
  count: number,
  scrollTop: number,
  viewHeight: number,
  ROW_HEIGHT = ROW_HEIGHT_DEFAULT,
): VirtualRows {
  const natural = count * ROW_HEIGHT;
  const height = Math.min(natural, MAX_SCROLL_PX);
  const visible = Math.ceil(viewHeight / ROW_HEIGHT) + 1;
  let first: number;
  let top: number;
  if (natural <= MAX_SCROLL_PX) {
    first = Math.floor(scrollTop / ROW_HEIGHT);
    top = first * ROW_HEIGHT;
  } else {
    const scrollable = Math.max(1, height - viewHeight);
    first = Math.floor((Math.min(scrollTop, scrollable) / scrollable) * Math.max(0, count - visible + 1));
    top = scrollTop;
  }
  first = Math.max(0, Math.min(first, Math.max(0, count - 1)));
  const start = Math.max(0, first - OVERSCAN);
  const last = Math.min(count, first + visible + OVERSCAN);
  return { first: start, last, top: top - (first - start) * ROW_HEIGHT, height };
}
