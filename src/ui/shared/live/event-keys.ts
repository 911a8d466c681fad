/**
 * Which cached reads an event makes stale (contract 10's event names): exactly the views that
 * show what changed, so a write in another tab or app reaches this one without a reload.
 */
import type { QueryClient, QueryKey } from "@tanstack/react-query";
import type { HeedyEvent } from "../../../core/events";
import { queryKeys } from "../api/query-keys";

export interface EventEffect {
  /** Re-read these (prefixes). */
  invalidate: QueryKey[];
  /** Drop these: what they describe no longer exists. */
  remove: QueryKey[];
}

export function eventEffect(e: HeedyEvent): EventEffect {
  const id = e.object;
  switch (e.event) {
    case "timeseries_data_write":
      // The chart, count and table of the series; the object and the list for `last_modified`.
      return id
        ? {
            invalidate: [queryKeys.timeseriesAll(id), queryKeys.object(id), queryKeys.objectsAll()],
            remove: [],
          }
        : { invalidate: [], remove: [] };
    case "timeseries_data_delete":
      // heedy leaves `last_modified` alone on deletes (contract 8.8).
      return id ? { invalidate: [queryKeys.timeseriesAll(id)], remove: [] } : { invalidate: [], remove: [] };
    case "object_create":
      return { invalidate: [queryKeys.objectsAll()], remove: [] };
    case "object_update":
      return id
        ? { invalidate: [queryKeys.object(id), queryKeys.objectsAll()], remove: [] }
        : { invalidate: [queryKeys.objectsAll()], remove: [] };
    case "object_delete":
      // Removed, not invalidated: a refetch of the deleted object could only answer 403/404, and
      // the event may arrive before the deleting tab's own request has finished and moved on.
      return {
        invalidate: [queryKeys.objectsAll()],
        remove: id ? [queryKeys.object(id), queryKeys.timeseriesAll(id)] : [],
      };
    case "app_update":
    case "app_settings_update":
      return { invalidate: [queryKeys.self()], remove: [] };
    default:
      return { invalidate: [], remove: [] };
  }
}

export function applyEvent(queryClient: QueryClient, e: HeedyEvent): void {
  const { invalidate, remove } = eventEffect(e);
  for (const queryKey of remove) queryClient.removeQueries({ queryKey });
  // The object page shows "deleted" from the failed re-read rather than a stale object.
  for (const queryKey of invalidate) void queryClient.invalidateQueries({ queryKey });
}
