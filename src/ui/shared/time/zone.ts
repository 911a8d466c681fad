/**
 * The time zone the app shows times in (zustand): "local", "UTC" or an IANA name. The chart, the
 * table, the forms and the range labels read it; "today" and "yesterday" are calendar days in it.
 * Remembered in localStorage.
 */
import { create } from "zustand";
import { isValidZone, type ZoneChoice } from "./calendar";
import { readZonePreference, ZONE_KEY } from "./zone-preference";

interface TimeZoneState {
  zone: ZoneChoice;
  setZone(zone: ZoneChoice): void;
}

export const useTimeZone = create<TimeZoneState>()((set) => ({
  zone: typeof window === "undefined" ? "local" : readZonePreference(),
  setZone: (zone) => {
    if (!isValidZone(zone)) return;
    set({ zone });
    try {
      window.localStorage.setItem(ZONE_KEY, zone);
    } catch {
      // Without storage the choice lasts for this page.
    }
  },
}));

/** The chosen zone outside React (range resolution in fetchers and dialogs). */
export function currentZone(): ZoneChoice {
  return useTimeZone.getState().zone;
}

/** Every IANA zone the browser knows, for the zone picker. */
export function knownZones(): readonly string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  try {
    return intl.supportedValuesOf?.("timeZone") ?? [];
  } catch {
    return [];
  }
}

/** The browser's own zone name, for the "Local" choice's label. */
export function localZoneName(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}
