/**
 * Dates as heedy stores them: a UTC calendar day `YYYY-MM-DD` (created_date, last_modified,
 * last_access_date), never a local one, so the day does not depend on the server's time zone.
 */
export function todayUTC(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}
