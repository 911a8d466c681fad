/**
 * Whether the Data tab shows times in UTC (zustand): the viewer's "UTC" box sets it, the chart and
 * the data table read it. Remembered in localStorage.
 */
import { create } from "zustand";

const UTC_KEY = "heedy-explorer.chart-utc";

function readUtcPreference(): boolean {
  try {
    return window.localStorage.getItem(UTC_KEY) === "1";
  } catch {
    return false;
  }
}

interface TimeZoneState {
  utc: boolean;
  setUtc(on: boolean): void;
}

export const useTimeZone = create<TimeZoneState>()((set) => ({
  utc: typeof window === "undefined" ? false : readUtcPreference(),
  setUtc: (on) => {
    set({ utc: on });
    try {
      window.localStorage.setItem(UTC_KEY, on ? "1" : "0");
    } catch {
      // Without storage the choice lasts for this page.
    }
  },
}));
