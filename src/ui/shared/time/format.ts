/** Text for times, durations and values in the tooltip, legend and table. */
import { fromDatetimeLocal, intlZone, toDatetimeLocal, type ZoneChoice } from "./calendar";

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: ZoneChoice): Intl.DateTimeFormat {
  const key = zone;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      fractionalSecondDigits: 3,
      hourCycle: "h23",
      timeZone: intlZone(zone),
      timeZoneName: "short",
    });
    formatters.set(key, f);
  }
  return f;
}

/** `2024-05-01 14:03:07.250 GMT+2` in the chosen zone (`… UTC` in UTC). */
export function formatTime(seconds: number, zone: ZoneChoice): string {
  const parts = formatter(zone).formatToParts(new Date(seconds * 1000));
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}:${get("second")}.${get(
    "fractionalSecond",
  )} ${get("timeZoneName")}`;
}

/** `1h 30m`, `2.5s`, `3d 4h`: short durations for `dt`. */
export function formatDuration(seconds: number): string {
  if (!(seconds > 0)) return "";
  if (seconds < 60) return `${+seconds.toPrecision(4)}s`;
  const units: [string, number][] = [
    ["d", 86400],
    ["h", 3600],
    ["m", 60],
    ["s", 1],
  ];
  const out: string[] = [];
  let rest = Math.round(seconds);
  for (const [name, size] of units) {
    if (rest >= size) {
      out.push(`${Math.floor(rest / size)}${name}`);
      rest %= size;
    }
    if (out.length === 2) break;
  }
  return out.join(" ");
}

export function formatValue(value: number | null | undefined, kind: "number" | "boolean"): string {
  if (value === null || value === undefined) return "–";
  if (kind === "boolean") return value ? "true" : "false";
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e9)) return value.toExponential(4);
  return value.toLocaleString("en-US", { maximumSignificantDigits: 6 });
}

export function formatCount(n: number): string {
  // Integers are grouped by hand: a page's first Intl number format costs ~10 ms on a slow
  // machine (ICU start-up), and a cold link's first paint shows counts before anything else
  // needs one.
  if (Number.isSafeInteger(n)) return String(n).replace(/\B(?=(\d{3})+$)/g, ",");
  return n.toLocaleString("en-US");
}

/** `just now`, `40 s ago`, `2 min ago`, `3 h ago`, `5 d ago` (or `in 2 min` for a future time). */
export function formatAgo(seconds: number, nowMs: number): string {
  const diff = nowMs / 1000 - seconds;
  const ahead = diff < 0;
  const s = Math.abs(diff);
  if (s < 10) return "just now";
  const text =
    s < 60
      ? `${Math.floor(s)} s`
      : s < 3600
        ? `${Math.floor(s / 60)} min`
        : s < 86400
          ? `${Math.floor(s / 3600)} h`
          : `${Math.floor(s / 86400)} d`;
  return ahead ? `in ${text}` : `${text} ago`;
}

/**
 * A `datetime-local` input's text for unix seconds, to the millisecond, in the chosen zone; whole
 * seconds leave the fraction out.
 */
export function secondsToInput(seconds: number, zone: ZoneChoice): string {
  const whole = Math.floor(seconds);
  const ms = Math.round((seconds - whole) * 1000);
  // A fraction that rounds up to a full second belongs to the next second.
  const base = toDatetimeLocal(ms === 1000 ? whole + 1 : whole, zone);
  return ms > 0 && ms < 1000 ? `${base}.${String(ms).padStart(3, "0")}` : base;
}

/** Unix seconds of a `datetime-local` input's text read in the chosen zone, or undefined when unreadable. */
export function inputToSeconds(text: string, zone: ZoneChoice): number | undefined {
  const m = /^(\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,3}))?$/.exec(text);
  if (!m) return undefined;
  const whole = fromDatetimeLocal(m[1]!, zone);
  if (whole === undefined || Number.isNaN(whole)) return undefined;
  return m[2] ? (whole * 1000 + Number(m[2].padEnd(3, "0"))) / 1000 : whole;
}

const shortFormatters = new Map<string, Intl.DateTimeFormat>();

/** `1 May 2024, 14:03:07`: a readable instant for range labels, without milliseconds. */
export function formatInstant(seconds: number, zone: ZoneChoice): string {
  let f = shortFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
      timeZone: intlZone(zone),
    });
    shortFormatters.set(zone, f);
  }
  return f.format(new Date(Math.round(seconds) * 1000));
}

/** The short name of a zone at an instant (`UTC`, `GMT+2`, `CEST`). */
export function zoneLabel(seconds: number, zone: ZoneChoice): string {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: intlZone(zone),
    timeZoneName: "short",
  }).formatToParts(new Date(seconds * 1000));
  return parts.find((p) => p.type === "timeZoneName")?.value ?? "";
}
