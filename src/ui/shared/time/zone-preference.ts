/**
 * The time zone this browser chose, as remembered in localStorage: read by the zone store
 * (zone.ts) and, without React or zustand, by the page's first script (app/boot).
 */
import { isValidZone, type ZoneChoice } from "./calendar";

export const ZONE_KEY = "heedy-explorer.time-zone";
/** The older on/off UTC box, read once so the choice survives the upgrade. */
const UTC_KEY = "heedy-explorer.chart-utc";

export function readZonePreference(): ZoneChoice {
  try {
    const saved = window.localStorage.getItem(ZONE_KEY);
    if (saved && isValidZone(saved)) return saved;
    return window.localStorage.getItem(UTC_KEY) === "1" ? "UTC" : "local";
  } catch {
    return "local";
  }
}
