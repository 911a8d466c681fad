import { addOffset, parseGoFloat } from "../core/time.js";

/**
 * A time for `t`, `t1`, `t2`: unix seconds, a Date, or a string (see `queryTime`).
 */
export type TimeInput = number | Date | string;

/**
 * Converts a time for the query string the way the Python client does before sending
 * (contract 8.4, last paragraph):
 *
 * - numbers are unix seconds and are sent as they are;
 * - Dates become unix seconds (millisecond precision);
 * - strings starting with `now` (`now`, `now-1h`, `now-1h30m`, ...) are sent unchanged, so the
 *   server evaluates them against its own clock and a saved range stays relative;
 * - other strings the client understands (`parseDateString`) become unix seconds;
 * - any other string is sent unchanged and the server decides (it answers 400 for nonsense).
 *
 * Throws TypeError for NaN/Infinity and invalid Dates, which no server could interpret.
 */
export function queryTime(value: TimeInput, now: Date = new Date()): number | string {
  if (typeof value !== "string") return unixSeconds(value);
  const text = value.trim();
  if (text.startsWith("now")) return text;
  return parseDateString(text, now) ?? value;
}

/** Unix seconds of a number or Date; TypeError for NaN, ±Infinity and invalid Dates. */
export function unixSeconds(value: number | Date): number {
  const seconds = typeof value === "number" ? value : value.getTime() / 1000;
  if (!Number.isFinite(seconds)) throw new TypeError(`Not a usable time: ${String(value)}`);
  return seconds;
}

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** English units of relative phrases, mapped onto units of heedy's offset grammar (core/time.ts). */
const PHRASE_UNITS: ReadonlyMap<string, string> = new Map([
  ["second", "s"],
  ["sec", "s"],
  ["s", "s"],
  ["minute", "m"],
  ["min", "m"],
  ["m", "m"],
  ["hour", "h"],
  ["hr", "h"],
  ["h", "h"],
  ["day", "d"],
  ["d", "d"],
  ["week", "w"],
  ["wk", "w"],
  ["w", "w"],
  ["month", "mo"],
  ["mo", "mo"],
  ["year", "y"],
  ["yr", "y"],
  ["y", "y"],
]);

/** `5 minutes`, `1.5h`, `an hour`: an amount (a number, or "a"/"an" before a space) and a unit. */
const PHRASE_TERM = /\b(?:(\d+(?:\.\d+)?)\s*|(an?)\s+)([a-z]+)(?=[\s,]|$)/g;

/** `hours` → `hour`; two-letter words keep their `s` so that `ms` is not read as minutes. */
function phraseUnit(word: string): string | undefined {
  return (
    PHRASE_UNITS.get(word) ??
    (word.length > 2 && word.endsWith("s") ? PHRASE_UNITS.get(word.slice(0, -1)) : undefined)
  );
}

/**
 * Parses the date strings the client converts itself, returning unix seconds, or undefined when
 * the string is none of these. The Python client hands such strings to `dateparser`, which knows
 * far more phrases; these are the forms people actually type into a range box:
 *
 * - a number: `1714557600`, `1714557600.25`, `1e9` (Go float syntax, as the server reads it);
 * - ISO 8601 / RFC 3339: `2024-05-01`, `2024-05-01T12:00`, `2024-05-01 12:00:30.5`,
 *   `2024-05-01T12:00:00Z`, `2024-05-01T12:00:00+02:00` (also `+0200`, `+02`). Without a zone the
 *   time is local time of the machine running the client, as with Python's dateparser; a date alone
 *   is local midnight;
 * - relative English: `5 minutes ago`, `1 hour 30 min ago`, `an hour ago`, `2 days, 3 hours ago`,
 *   `in 10 minutes`, and `today` (= now), `yesterday` / `tomorrow` (= now ∓ 1 day). Units: second,
 *   sec, minute, min, hour, hr, day, week, wk, month, year, yr (plural or singular) and the short
 *   forms s, m, h, d, w, mo, y. Months and years use calendar arithmetic like the server's `now-1mo`.
 */
export function parseDateString(text: string, now: Date = new Date()): number | undefined {
  const value = text.trim();
  const number = parseGoFloat(value);
  if (number !== undefined) return Number.isFinite(number) ? number : undefined;
  return parseIsoDate(value) ?? parseRelativePhrase(value.toLowerCase(), now);
}

function parseIsoDate(value: string): number | undefined {
  const m = ISO_DATE_TIME.exec(value);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  const fraction = m[7] ? Number(`0.${m[7]}`) : 0;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  const zone = m[8];
  let ms: number;
  if (zone === undefined) {
    const local = new Date(year, month - 1, day, hour, minute, second);
    local.setFullYear(year);
    // Date rolls 31 February over into March; a date that changed is not a date.
    if (local.getMonth() !== month - 1 || local.getDate() !== day) return undefined;
    ms = local.getTime();
  } else {
    const utc = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
    utc.setUTCFullYear(year);
    if (utc.getUTCMonth() !== month - 1 || utc.getUTCDate() !== day) return undefined;
    ms = utc.getTime() - zoneOffsetMinutes(zone) * 60_000;
  }
  return ms / 1000 + fraction;
}

function zoneOffsetMinutes(zone: string): number {
  if (zone.toUpperCase() === "Z") return 0;
  const digits = zone.slice(1).replace(":", "");
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0);
  return zone[0] === "-" ? -minutes : minutes;
}

function parseRelativePhrase(value: string, now: Date): number | undefined {
  if (value === "today") return now.getTime() / 1000;
  if (value === "yesterday") return addOffset(now, "-1d").getTime() / 1000;
  if (value === "tomorrow") return addOffset(now, "+1d").getTime() / 1000;
  let body: string;
  let sign: "-" | "+";
  if (value.endsWith(" ago")) {
    body = value.slice(0, -4);
    sign = "-";
  } else if (value.startsWith("in ")) {
    body = value.slice(3);
    sign = "+";
  } else {
    return undefined;
  }
  let offset = "";
  let consumed = "";
  for (const term of body.matchAll(PHRASE_TERM)) {
    const unit = phraseUnit(term[3]!);
    if (unit === undefined) return undefined;
    const amount = term[1] ?? "1";
    offset += `${amount}${unit}`;
    consumed += term[0];
  }
  // Every character of the phrase must belong to a term (apart from separators), so that
  // "5 fortnights ago" or "soon ago" are left for the server rather than half-understood.
  if (offset === "" || body.replace(/\band\b|[\s,]/g, "") !== consumed.replace(/[\s,]/g, ""))
    return undefined;
  // The sign carries over to every following term in heedy's grammar, as in `now-1h30m`.
  return addOffset(now, `${sign}${offset}`).getTime() / 1000;
}

let lastNow = 0;

/**
 * The current time in unix seconds with sub-millisecond precision, for `append` (Python sends
 * `time.time()`, microseconds). `performance.timeOrigin + performance.now()` has that precision in
 * browsers and Node; it is only used while it agrees with the wall clock, since it does not follow
 * clock adjustments. Successive values from this client strictly increase, so two appends in the
 * same microsecond do not share a timestamp (which would make the second replace the first).
 */
export function nowSeconds(): number {
  const wall = Date.now();
  const perf = globalThis.performance;
  const precise = perf ? perf.timeOrigin + perf.now() : wall;
  const ms = Math.abs(precise - wall) < 1000 ? precise : wall;
  let t = Math.round(ms * 1000) / 1e6;
  if (t <= lastNow) t = Math.round((lastNow + 1e-6) * 1e6) / 1e6;
  lastNow = t;
  return t;
}
