/**
 * A cold shared link's first paint (app/first-paint): the object page and its chart drawn before
 * React is loaded, in an overlay that React's page, rendered beneath it, replaces. It ends when
 * React's chart is drawn, when React shows anything else there (another page, sign-in, an error,
 * no chart), or at the latest a few seconds after React mounted.
 */
let overlay: HTMLElement | null = null;

export function holdFirstPaint(element: HTMLElement): void {
  overlay = element;
}

/** Removes the first paint, if it is still up (idempotent). */
export function endFirstPaint(): void {
  overlay?.remove();
  overlay = null;
}

export function firstPaintShown(): boolean {
  return overlay !== null;
}
