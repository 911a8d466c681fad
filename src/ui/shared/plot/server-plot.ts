/** The shape of the server's plot read as the chart asks for it (plot-read.ts, and app/boot). */

/** Pixel columns asked for: enough for a full-width chart on a high-density screen. */
export const PLOT_COLUMNS = 2000;

/** One request: the reduced points and the range's summary together. */
export const SERVER_PLOT = { columns: PLOT_COLUMNS, counts: true, summary: true } as const;
