/**
 * The chart's y-axis labels. uPlot formats them with `Intl.NumberFormat(navigator.language)`; for
 * the English locales below that is plain comma grouping and at most three decimals, which this
 * writes without Intl: a cold link's first paint then draws its chart without starting ICU (its
 * locale data takes 20-50 ms to load the first time on a small machine). Other locales keep Intl,
 * so every label reads as before. axis-number.test.ts holds the two to the same text.
 */
import type uPlot from "uplot";

/** Locales whose Intl number format is `1,234.567` (Indian English groups differently). */
const PLAIN_LOCALES: ReadonlySet<string> = new Set([
  "en",
  "en-US",
  "en-GB",
  "en-CA",
  "en-AU",
  "en-NZ",
  "en-IE",
]);

/** From here on String() writes an exponent. */
const FIXED_LIMIT = 1e21;

/** `Intl.NumberFormat("en-US").format(v)` for finite |v| < 1e21; undefined otherwise. */
export function plainNumber(v: number): string | undefined {
  if (!Number.isFinite(v) || Math.abs(v) >= FIXED_LIMIT) return undefined;
  // Intl rounds the shortest decimal that reads back as `v` ("1.0005", not the binary value just
  // below it) to three decimals, half away from zero. Below 1e-6 String() writes an exponent;
  // such a number rounds to 0 anyway.
  const text = String(Math.abs(v));
  const [whole = "0", fraction = ""] = text.includes("e") ? ["0", ""] : text.split(".");
  let thousandths = BigInt(whole + fraction.slice(0, 3).padEnd(3, "0"));
  if ((fraction[3] ?? "0") >= "5") thousandths += 1n;
  const decimals = (thousandths % 1000n).toString().padStart(3, "0").replace(/0+$/, "");
  const grouped = (thousandths / 1000n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  // Intl keeps the sign of a negative number that rounds to zero, and of -0.
  const sign = v < 0 || Object.is(v, -0) ? "-" : "";
  return `${sign}${grouped}${decimals ? `.${decimals}` : ""}`;
}

/** The y axis' `values`: plain for the locales above, Intl (uPlot's own) for every other. */
export function axisValues(locale: string): (u: uPlot, splits: number[]) => string[] {
  const plain = PLAIN_LOCALES.has(locale);
  let intl: Intl.NumberFormat | undefined;
  const format = (v: number) => {
    const text = plain ? plainNumber(v) : undefined;
    if (text !== undefined) return text;
    intl ??= new Intl.NumberFormat(locale);
    return intl.format(v);
  };
  return (_u: uPlot, splits: number[]) => splits.map((v) => (v == null ? "" : format(v)));
}
