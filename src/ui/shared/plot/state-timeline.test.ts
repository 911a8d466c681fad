import { describe, expect, it } from "vitest";
import { buildChartData } from "./series";
import { segmentStates, stateLegend, stateRows } from "./state-timeline";

describe("state-timeline segmentation", () => {
  it("lasts each state until the next point, and the last one until the range ends", () => {
    const row = { t: [10, 20, 35], dt: [0, 0, 0] };
    expect(segmentStates(row, 100)).toEqual([
      { start: 10, end: 20, index: 0 },
      { start: 20, end: 35, index: 1 },
      { start: 35, end: 100, index: 2 },
    ]);
  });

  it("uses a point's duration when it has one, and never ends a state before it starts", () => {
    const row = { t: [10, 20, 35], dt: [5, 0, 0] };
    expect(segmentStates(row, 30)).toEqual([
      { start: 10, end: 15, index: 0 },
      { start: 20, end: 35, index: 1 },
      { start: 35, end: 35, index: 2 },
    ]);
  });

  it("turns strings, enums and booleans into rows; numbers stay lines", () => {
    const data = buildChartData([
      { t: 1, d: { door: true, mode: "eco", temp: 20 } },
      { t: 2, d: { door: false, mode: "boost", temp: 21 } },
      { t: 3, d: { door: false, mode: "eco", temp: 22 } },
    ]);
    const rows = stateRows(data);
    expect(rows.map((r) => [r.label, r.text])).toEqual([
      ["door", ["true", "false", "false"]],
      ["mode", ["eco", "boost", "eco"]],
    ]);
    expect(data.series.filter((s) => s.kind === "number").map((s) => s.label)).toEqual(["temp"]);
  });

  it("lists each value once in the colour legend, most frequent first, with distinct colours", () => {
    const data = buildChartData(["on", "off", "on", "idle", "on"].map((d, i) => ({ t: i, d })));
    const legend = stateLegend(stateRows(data)[0]!, 8);
    expect(legend.map((l) => l.text)).toEqual(["on", "idle", "off"]);
    expect(new Set(legend.map((l) => l.colour)).size).toBe(3);
  });
});
