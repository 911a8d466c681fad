/** Text for times, durations and values in the tooltip, legend and table. */
import { intlZone, type ZoneChoice } from "./calendar";

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
  return n.toLocaleString("en-US");
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
