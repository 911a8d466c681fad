/**
 * The app's logo (public/favicon.svg, which index.html also carries inline as its icon) as a data
 * URL: the top bar and the sign-in page show it without a request, which on a cold link would
 * queue beside the first reads. logo.test.ts keeps the three the same.
 */
export const LOGO_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><title>heedy-explorer</title><rect width="32" height="32" rx="7" fill="#2457d6"/><path d="M6 22l6-8 5 5 4-7 5 10" fill="none" stroke="#fff" stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round"/></svg>';

export const LOGO_URL = `data:image/svg+xml,${encodeURIComponent(LOGO_SVG)}`;
