/**
 * A cold shared link's first paint (app/first-paint): the object page and its chart drawn before
 * React is loaded, in an overlay that React's page, rendered beneath it, replaces. It ends when
 * React's chart is drawn, when React shows anything else there (another page, sign-in, an error,
 * no chart), or at the latest a few seconds after React mounted.
 */
let current: { overlay: HTMLElement; cleanups: (() => void)[] } | null = null;
let reactRendering = false;

/** React renders the page from now on (mount.tsx): no first paint may start over it. */
export function reactTakesOver(): void {
  reactRendering = true;
}

export function reactHasTakenOver(): boolean {
  return reactRendering;
}

export function holdFirstPaint(overlay: HTMLElement): void {
  endFirstPaint();
  current = { overlay, cleanups: [] };
}

/** Runs `cleanup` when the first paint `overlay` ends (its chart's listeners, say). */
export function onFirstPaintEnd(overlay: HTMLElement, cleanup: () => void): void {
  if (current?.overlay === overlay) current.cleanups.push(cleanup);
  else cleanup();
}

/** Removes the first paint (only `overlay`, when given), if it is still up; idempotent. */
export function endFirstPaint(overlay?: HTMLElement): void {
  if (!current || (overlay && overlay !== current.overlay)) {
    overlay?.remove();
    return;
  }
  const { overlay: shown, cleanups } = current;
  current = null;
  shown.remove();
  for (const cleanup of cleanups) cleanup();
}

/** Whether a first paint (`overlay`, when given) is still up. */
export function firstPaintShown(overlay?: HTMLElement): boolean {
  return current !== null && (overlay === undefined || current.overlay === overlay);
}
