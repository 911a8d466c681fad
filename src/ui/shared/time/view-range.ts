/**
 * The viewer's range: what the user picked, kept as raw strings in the address bar (Grafana Scenes
 * pattern: `?from=now-6h&to=now`), and evaluated into numbers only when a query runs, so a shared
 * link shows the same relative window later.
 *
 *   ?points=1000            the last 1,000 points (the default when nothing is given)
 *   ?range=all              every point
 *   ?from=now-6h&to=now     a time window; each end is a `now…` string (contract 8.4), unix
 *                           seconds, an RFC 3339 / ISO date, or a phrase the client understands
 *   ?from=now/d&to=now/d    calendar units as in Grafana: `now/d` is the start of today as a
 *                           `from` and its end as a `to`; `now-1d/d` is yesterday, `now/w` this
 *                           week (Monday first), all in the chosen time zone
 */
import { parseDateString } from "../../../client/times";
import { parseTime } from "../../../core/time";
import { dayStart, fromWallTime, weekStart, type ZoneChoice } from "./calendar";
import { formatInstant } from "./format";

export type ViewRange =
  | { kind: "points"; count: number }
  | { kind: "all" }
  | { kind: "time"; from: string; to: string };

export const DEFAULT_POINTS = 1000;
export const DEFAULT_RANGE: ViewRange = { kind: "points", count: DEFAULT_POINTS };

export interface RangePreset {
  id: string;
  label: string;
  range: ViewRange;
}

export const RANGE_PRESETS: readonly RangePreset[] = [
  { id: "points", label: "Last 1,000 points", range: { kind: "points", count: DEFAULT_POINTS } },
  { id: "1h", label: "1 h", range: { kind: "time", from: "now-1h", to: "now" } },
  { id: "6h", label: "6 h", range: { kind: "time", from: "now-6h", to: "now" } },
  { id: "24h", label: "24 h", range: { kind: "time", from: "now-24h", to: "now" } },
  { id: "7d", label: "7 d", range: { kind: "time", from: "now-7d", to: "now" } },
  { id: "30d", label: "30 d", range: { kind: "time", from: "now-30d", to: "now" } },
  { id: "today", label: "Today", range: { kind: "time", from: "now/d", to: "now/d" } },
  { id: "yesterday", label: "Yesterday", range: { kind: "time", from: "now-1d/d", to: "now-1d/d" } },
  { id: "all", label: "All", range: { kind: "all" } },
];

/** URL parameters the range owns; writing a range clears the others. */
export const RANGE_PARAMS = ["points", "range", "from", "to"] as const;

export function rangeFromSearch(params: URLSearchParams): ViewRange {
  const from = params.get("from");
  if (from !== null && from.trim() !== "") {
    const to = params.get("to");
    return { kind: "time", from: from.trim(), to: to === null || to.trim() === "" ? "now" : to.trim() };
  }
  if (params.get("range") === "all") return { kind: "all" };
  const points = Number(params.get("points"));
  if (Number.isInteger(points) && points > 0) return { kind: "points", count: points };
  return DEFAULT_RANGE;
}

/** The query-parameter changes that store `range` (for the router's `setQuery`). */
export function rangeToSearch(range: ViewRange): Record<(typeof RANGE_PARAMS)[number], string | undefined> {
  switch (range.kind) {
    case "points":
      return { points: String(range.count), range: undefined, from: undefined, to: undefined };
    case "all":
      return { points: undefined, range: "all", from: undefined, to: undefined };
    case "time":
      return { points: undefined, range: undefined, from: range.from, to: range.to };
  }
}

export function sameRange(a: ViewRange, b: ViewRange): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function presetOf(range: ViewRange): RangePreset | undefined {
  return RANGE_PRESETS.find((p) => sameRange(p.range, range));
}

/** A range evaluated at one instant: numbers for the request and for laying out the x axis. */
export interface ResolvedRange {
  /** Inclusive start, unix seconds (time ranges only). */
  t1?: number;
  /** Exclusive end, unix seconds (time ranges only). */
  t2?: number;
  /** Index start (negative counts from the end): `-1000` for the last 1,000 points. */
  i1?: number;
}

export class RangeInputError extends Error {}

const WALL_DATE = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d))?)?$/;
const CALENDAR = /^now(?:([+-])(\d+)([dw]))?\/([dw])$/;

/**
 * A calendar expression (`now/d`, `now-1d/d`, `now/w`, `now-2w/w`) in `zone`: the start of the
 * unit, or its end (the next unit's start) for the `to` end. Undefined for other text.
 */
export function calendarTime(text: string, now: Date, zone: ZoneChoice, end: boolean): number | undefined {
  const m = CALENDAR.exec(text);
  if (!m) return undefined;
  const shift = m[2] === undefined ? 0 : (m[1] === "-" ? -1 : 1) * Number(m[2]);
  const days = m[3] === "w" ? shift * 7 : shift;
  const at = dayStart(now.getTime() / 1000, zone, days);
  // Noon of the target day, so moving to its week never crosses a daylight-saving hour.
  const noon = at + 12 * 3600;
  if (m[4] === "w") return weekStart(noon, zone, end ? 1 : 0);
  return end ? dayStart(noon, zone, 1) : at;
}

export interface RangeTimeOptions {
  /** Zone of calendar expressions (`now/d`); the browser's when left out. */
  zone?: ZoneChoice;
  /** True for the `to` end: `now/d` then means the end of today. */
  end?: boolean;
}

/** Parses one end of a time range into unix seconds, or throws with a message a person can act on. */
export function parseRangeTime(value: string, now: Date, options: RangeTimeOptions = {}): number {
  const text = value.trim();
  if (text === "") throw new RangeInputError("A time is empty. Use a date, or now-6h style text.");
  const zone = options.zone ?? "local";
  const calendar = calendarTime(text, now, zone, options.end ?? false);
  if (calendar !== undefined) return calendar;
  // A date without an offset is a wall-clock reading in the chosen zone.
  const wall = WALL_DATE.exec(text);
  if (wall) {
    const [year, month, day, hour, minute, second] = wall.slice(1).map((v) => Number(v ?? 0)) as number[];
    if (
      month! >= 1 &&
      month! <= 12 &&
      day! >= 1 &&
      day! <= 31 &&
      hour! < 24 &&
      minute! < 60 &&
      second! < 60
    ) {
      return fromWallTime(
        { year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second: second! },
        zone,
      );
    }
  }
  if (text.startsWith("now")) {
    try {
      return parseTime(text, now);
    } catch (err) {
      throw new RangeInputError(
        `"${text}" is not a time: ${(err as Error).message}. Try now-6h or now-1h30m.`,
      );
    }
  }
  const parsed = parseDateString(text, now);
  if (parsed !== undefined) return parsed;
  try {
    return parseTime(text, now);
  } catch {
    throw new RangeInputError(`"${text}" is not a time. Use 2024-05-01 12:00, an ISO date, or now-6h.`);
  }
}

export function resolveRange(range: ViewRange, now: Date, zone: ZoneChoice): ResolvedRange {
  switch (range.kind) {
    case "points":
      return { i1: -range.count };
    case "all":
      return {};
    case "time": {
      const t1 = parseRangeTime(range.from, now, { zone });
      const t2 = parseRangeTime(range.to, now, { zone, end: true });
      if (!(t2 > t1)) throw new RangeInputError("The range ends before it starts. Swap the two times.");
      return { t1, t2 };
    }
  }
}

/** True when the range depends on the time zone (calendar days), so its query must key on it. */
export function usesCalendar(range: ViewRange): boolean {
  return range.kind === "time" && (CALENDAR.test(range.from) || CALENDAR.test(range.to));
}

/** True when the range moves with the clock (live refresh makes sense), false for fixed windows. */
export function isRelative(range: ViewRange): boolean {
  if (range.kind !== "time") return true;
  return range.to.trim().startsWith("now");
}

/** An absolute end of a zoomed window: ISO 8601 UTC with milliseconds, readable in the URL. */
export function absoluteTime(seconds: number): string {
  return new Date(Math.round(seconds * 1000)).toISOString();
}

/** A window made by dragging on the chart: absolute, so the link shows exactly that window. */
export function zoomRange(t1: number, t2: number): ViewRange {
  return { kind: "time", from: absoluteTime(t1), to: absoluteTime(t2) };
}

/** One end of a range as a person reads it: `now-…` text as is, absolute times in `zone`. */
export function describeEnd(text: string, zone: ZoneChoice): string {
  if (text.startsWith("now")) return text;
  const parsed = parseDateString(text, new Date());
  return parsed === undefined ? text : formatInstant(parsed, zone);
}

/** Short text of a range, for status lines, the picker's button and confirmations. */
export function describeRange(range: ViewRange, zone: ZoneChoice = "local"): string {
  switch (range.kind) {
    case "points":
      return `the last ${range.count.toLocaleString("en-US")} points`;
    case "all":
      return "all points";
    case "time": {
      const preset = presetOf(range);
      if (preset && (preset.id === "today" || preset.id === "yesterday")) return preset.label.toLowerCase();
      return `${describeEnd(range.from, zone)} to ${describeEnd(range.to, zone)}`;
    }
  }
}

/** Window `[t1, t2]` widened twice around its centre (Grafana's zoom out, Ctrl+Z). */
export function zoomOutWindow(t1: number, t2: number, factor = 2): [number, number] {
  const centre = (t1 + t2) / 2;
  const half = ((t2 - t1) * factor) / 2;
  return [centre - half, centre + half];
}

/** Window moved by half its width, earlier (-1) or later (1). */
export function shiftWindow(t1: number, t2: number, direction: -1 | 1): [number, number] {
  const shift = ((t2 - t1) / 2) * direction;
  return [t1 + shift, t2 + shift];
}
