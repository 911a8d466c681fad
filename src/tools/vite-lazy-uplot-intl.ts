/**
 * A Vite step: uPlot makes two Intl formats as its module loads (a number format for its default
 * axis labels, and a date format only to learn the local zone's name). The first Intl format of a
 * page loads ICU's locale data: 20-50 ms on a small machine, in the middle of a cold link's first
 * paint, whose chart needs neither (its y axis has its own labels, shared/plot/axis-number.ts, and
 * the local zone needs no name). This makes both lazy: made on first use, as before after that.
 * The build fails if uPlot's source no longer reads as expected (an upgrade), rather than quietly
 * shipping the slow start again.
 */
import type { Plugin } from "vite";

const REWRITES: readonly (readonly [string, string])[] = [
  [
    "const numFormatter = new Intl.NumberFormat(domEnv ? nav.language : 'en-US');\nconst fmtNum = val => numFormatter.format(val);",
    "let numFormatter;\nconst fmtNum = val => (numFormatter ??= new Intl.NumberFormat(domEnv ? nav.language : 'en-US')).format(val);",
  ],
  [
    "const localTz = new Intl.DateTimeFormat().resolvedOptions().timeZone;",
    "let localTzName;\nconst localTz = () => (localTzName ??= new Intl.DateTimeFormat().resolvedOptions().timeZone);",
  ],
  ["else if (tz == localTz)", "else if (tz == localTz())"],
];

/** uPlot's ESM source with its Intl formats made on first use. */
export function lazyUplotIntl(code: string): string {
  let out = code.replace(/\r\n/g, "\n");
  for (const [from, to] of REWRITES) {
    if (!out.includes(from))
      throw new Error(`uPlot no longer contains ${JSON.stringify(from)}: update vite-lazy-uplot-intl.ts`);
    out = out.replace(from, to);
  }
  return out;
}

export function lazyUplotIntlPlugin(): Plugin {
  return {
    name: "heedy-explorer:lazy-uplot-intl",
    transform(code, id) {
      if (!/[\\/]uplot[\\/]dist[\\/]uPlot\.esm\.js$/.test(id)) return null;
      return { code: lazyUplotIntl(code), map: null };
    },
  };
}
