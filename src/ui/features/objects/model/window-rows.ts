/**
 * Which rows of a long list are on screen when the page itself scrolls: the list's top edge
 * relative to the viewport, its fixed row height and the viewport's height decide, plus a few
 * rows either side so a short scroll shows no gap.
 */
export interface RowWindow {
  first: number;
  /** Exclusive. */
  last: number;
  /** Spacer heights above and below the rendered rows. */
  before: number;
  after: number;
}

export function windowRows(
  count: number,
  rowHeight: number,
  listTop: number,
  viewportHeight: number,
  overscan = 6,
): RowWindow {
  const first = Math.max(0, Math.min(count, Math.floor(-listTop / rowHeight) - overscan));
  const last = Math.max(first, Math.min(count, Math.ceil((viewportHeight - listTop) / rowHeight) + overscan));
  return { first, last, before: first * rowHeight, after: (count - last) * rowHeight };
}
