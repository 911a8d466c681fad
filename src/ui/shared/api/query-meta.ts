/**
 * The `meta` every feature's queries and mutations may carry, read by the app's query client
 * (app/query-client.ts).
 */
export {};

declare module "@tanstack/react-query" {
  interface Register {
    /** `inlineError`: the view shows this error itself; the central path only handles a 401. */
    queryMeta: { inlineError?: boolean };
    mutationMeta: { inlineError?: boolean };
  }
}
