/**
 * The "per" selector: raw points, or one value per minute, hour, day or week (mean, min, max, sum
 * or count). Kept in the URL as `per=hour-mean`. Windows are fixed-width and start on a minute,
 * or on a midnight (day, hour) or Monday (week) of the chosen time zone.
 */
import { AGGREGATE_FNS, type AggregateFn } from "../../../core/aggregate";
import { dayStart, weekStart, type ZoneChoice } from "../time/calendar";

export const PER_WINDOWS = ["minute", "hour", "day", "week"] as const;
export type PerWindow = (typeof PER_WINDOWS)[number];

export interface Per {
  window: PerWindow;
  fn: AggregateFn;
}

export const PER_SECONDS: Record<PerWindow, number> = {
  minute: 60,
  hour: 3600,
  day: 86400,
  week: 7 * 86400,
};

export function parsePer(text: string | null): Per | null {
  if (!text) return null;
  const [window, fn] = text.split("-");
  if (!PER_WINDOWS.includes(window as PerWindow)) return null;
  if (!AGGREGATE_FNS.includes(fn as AggregateFn)) return null;
  return { window: window as PerWindow, fn: fn as AggregateFn };
}

export function formatPer(per: Per | null): string | undefined {
  return per ? `${per.window}-${per.fn}` : undefined;
}

export function perFromSearch(params: URLSearchParams): Per | null {
  return parsePer(params.get("per"));
}

/** Where windows start: any boundary of the grid works, so one near `now` in the zone. */
export function perOrigin(per: Per, now: number, zone: ZoneChoice): number {
  switch (per.window) {
    case "minute":
      return 0;
    case "hour":
    case "day":
      return dayStart(now, zone);
    case "week":
      return weekStart(now, zone);
  }
}

export function describePer(per: Per | null): string {
  return per ? `${per.fn} per ${per.window}` : "raw points";
}
