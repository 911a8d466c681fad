import { describe, expect, it } from "vitest";
import { eventEffect } from "./event-keys";

const on = { user: "test", object: "o1", type: "timeseries" };

describe("eventEffect", () => {
  it("a data write refreshes the series' views, the object and the list", () => {
    expect(eventEffect({ event: "timeseries_data_write", ...on })).toEqual({
      invalidate: [["timeseries", "o1"], ["object", "o1"], ["objects"]],
      remove: [],
    });
  });
  it("a data delete leaves last_modified (and so the object and list) alone", () => {
    expect(eventEffect({ event: "timeseries_data_delete", ...on })).toEqual({
      invalidate: [["timeseries", "o1"]],
      remove: [],
    });
  });
  it("object creates, renames and deletes reach the list", () => {
    expect(eventEffect({ event: "object_create", ...on }).invalidate).toEqual([["objects"]]);
    expect(eventEffect({ event: "object_update", ...on }).invalidate).toEqual([
      ["object", "o1"],
      ["objects"],
    ]);
    expect(eventEffect({ event: "object_delete", ...on })).toEqual({
      invalidate: [["objects"]],
      remove: [
        ["object", "o1"],
        ["timeseries", "o1"],
      ],
    });
  });
  it("events the app shows nothing of change nothing", () => {
    expect(eventEffect({ event: "user_settings_update", user: "test" })).toEqual({
      invalidate: [],
      remove: [],
    });
  });
});
