/**
 * Wall-clock arithmetic in a chosen time zone ("local", "UTC" or an IANA name) with nothing but
 * Intl: calendar days ("today" is midnight to midnight where the user is, 23 or 25 hours long on a
 * daylight-saving change), and the `datetime-local` text of the range calendar.
 */

/** "local" (the browser's zone), "UTC", or an IANA name such as "Europe/Berlin". */
export type ZoneChoice = string;

/** The IANA name for Intl, or undefined for the browser's own zone. */
export function intlZone(zone: ZoneChoice): string | undefined {
  return zone === "local" || zone === "" ? undefined : zone;
}

export function isValidZone(zone: string): boolean {
  if (zone === "local") return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const partFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(zone: ZoneChoice): Intl.DateTimeFormat {
  let f = partFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: intlZone(zone),
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    partFormatters.set(zone, f);
  }
  return f;
}

export interface WallTime {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock reading of an instant (whole seconds) in `zone`. */
export function wallTime(seconds: number, zone: ZoneChoice): WallTime {
  const out: Record<string, number> = {};
  for (const p of partsFormatter(zone).formatToParts(new Date(Math.floor(seconds) * 1000))) {
    if (p.type !== "literal") out[p.type] = Number(p.value);
  }
  return {
    year: out.year ?? 1970,
    month: out.month ?? 1,
    day: out.day ?? 1,
    hour: out.hour ?? 0,
    minute: out.minute ?? 0,
    second: out.second ?? 0,
  };
}

/** Offset of `zone` from UTC at an instant, in seconds (east positive). */
function offsetAt(seconds: number, zone: ZoneChoice): number {
  const w = wallTime(seconds, zone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) / 1000 - Math.floor(seconds);
}

/**
 * The instant a wall-clock reading denotes in `zone`. Fields may overflow (day 32, month 0) as
 * with Date.UTC. A reading skipped by a spring-forward gap maps to the instant after the gap, and
 * an ambiguous autumn reading to its first occurrence.
 */
export function fromWallTime(w: WallTime, zone: ZoneChoice): number {
  const naive = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) / 1000;
  // Try the offsets in force a day either side: the right one maps back to the same reading.
  const before = offsetAt(naive - 86400, zone);
  const after = offsetAt(naive + 86400, zone);
  const candidates = [...new Set([before, after])].map((o) => naive - o).sort((a, b) => a - b);
  for (const t of candidates) if (offsetAt(t, zone) === naive - t) return t;
  // In a gap no reading matches: the clock jumped, so use the offset from before the jump.
  return naive - before;
}

/** Midnight starting the calendar day of `seconds` in `zone`, moved by `addDays` days. */
export function dayStart(seconds: number, zone: ZoneChoice, addDays = 0): number {
  const w = wallTime(seconds, zone);
  return fromWallTime(
    { year: w.year, month: w.month, day: w.day + addDays, hour: 0, minute: 0, second: 0 },
    zone,
  );
}

/** Midnight starting the (Monday-first) week of `seconds` in `zone`, moved by `addWeeks`. */
export function weekStart(seconds: number, zone: ZoneChoice, addWeeks = 0): number {
  const w = wallTime(seconds, zone);
  const weekday = (new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay() + 6) % 7;
  return fromWallTime(
    { year: w.year, month: w.month, day: w.day - weekday + 7 * addWeeks, hour: 0, minute: 0, second: 0 },
    zone,
  );
}

/** `[start, end)` of a calendar day: 0 today, -1 yesterday. */
export function calendarDay(now: number, zone: ZoneChoice, offsetDays: number): [number, number] {
  return [dayStart(now, zone, offsetDays), dayStart(now, zone, offsetDays + 1)];
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** `2024-05-01T14:03:07`: the value of an `<input type="datetime-local" step="1">`. */
export function toDatetimeLocal(seconds: number, zone: ZoneChoice): string {
  const w = wallTime(seconds, zone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

/** The instant of a `datetime-local` value read in `zone`, or undefined when it is not one. */
export function fromDatetimeLocal(text: string, zone: ZoneChoice): number | undefined {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?$/.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0)) as number[];
  return fromWallTime(
    { year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second: second! },
    zone,
  );
}
