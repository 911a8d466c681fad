/** The events services fire (contract 10), built from the records they changed. */
import type { HeedyEvent, TimeseriesEventData } from "../../core/events.js";
import type { AppRecord, ObjectRecord } from "../store/index.js";

/** Anything that takes events; services need only this half of the bus. */
export interface EventSink {
  publish(e: HeedyEvent): void;
}

export function objectEvent(event: string, obj: ObjectRecord, data?: unknown): HeedyEvent {
  const e: HeedyEvent = { event, user: obj.owner, object: obj.id, type: obj.type };
  if (obj.app !== null) e.app = obj.app;
  if (obj.tags !== "") e.tags = obj.tags;
  if (obj.key !== null && obj.key !== "") e.key = obj.key;
  if (data !== undefined) e.data = data;
  return e;
}

export function timeseriesEvent(
  event: "timeseries_data_write" | "timeseries_data_delete",
  obj: ObjectRecord,
  data: TimeseriesEventData,
): HeedyEvent {
  return objectEvent(event, obj, data);
}

export function appEvent(event: string, app: AppRecord): HeedyEvent {
  const e: HeedyEvent = { event, user: app.owner, app: app.id };
  if (app.plugin) e.plugin = app.plugin;
  return e;
}

export function userEvent(event: string, username: string, data?: unknown): HeedyEvent {
  return data === undefined ? { event, user: username } : { event, user: username, data };
}
