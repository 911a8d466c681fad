import { describe, expect, it } from "vitest";
import { PlotReducer } from "./plot-reducer";
import { buildChartData, classifyFields, eventAt, eventColour, reducePoints } from "./series";

describe("buildChartData", () => {
  it("draws numbers as one line with x in unix seconds", () => {
    const c = buildChartData([
      { t: 1, d: 5 },
      { t: 2, d: 7.5 },
    ]);
    expect(c.x).toEqual([1, 2]);
    expect(c.series).toHaveLength(1);
    expect(c.series[0]).toMatchObject({ field: "", kind: "number", values: [5, 7.5] });
    expect(c.events).toEqual([]);
  });

  it("draws booleans as a 0/1 step series", () => {
    const c = buildChartData([
      { t: 1, d: true },
      { t: 2, d: false },
    ]);
    expect(c.series[0]).toMatchObject({ kind: "boolean", values: [1, 0] });
  });

  it("gives each numeric field of objects its own series, strings go to the event strip", () => {
    const c = buildChartData([
      { t: 1, d: { temp: 20, hum: 50, sky: "sunny", on: true } },
      { t: 2, d: { temp: 21, sky: "cloudy", on: false } },
    ]);
    expect(c.series.map((s) => [s.field, s.kind])).toEqual([
      ["hum", "number"],
      ["on", "boolean"],
      ["temp", "number"],
    ]);
    expect(c.series[0]!.values).toEqual([50, null]);
    expect(c.events.map((e) => [e.field, e.text])).toEqual([["sky", ["sunny", "cloudy"]]]);
  });

  it("never drops strings, arrays or mixed values: they become events", () => {
    const c = buildChartData([
      { t: 1, d: "walking" },
      { t: 2, d: [1, 2] },
      { t: 3, d: 4 },
    ]);
    expect(c.series).toEqual([]);
    expect(c.events[0]!.text).toEqual(["walking", "[1,2]", "4"]);
    expect(
      classifyFields([
        { t: 1, d: 1 },
        { t: 2, d: "x" },
      ]).get(""),
    ).toBe("event");
  });

  it("draws durations as spans that break after their end", () => {
    const c = buildChartData([
      { t: 10, dt: 5, d: 1 },
      { t: 15, dt: 5, d: 2 },
      { t: 30, d: 3 },
    ]);
    expect(c.hasDurations).toBe(true);
    expect(c.x).toEqual([10, 15, 15, 20, 20, 30]);
    expect(c.series[0]!.values).toEqual([1, 1, 2, 2, null, 3]);
    expect(c.pointIndex).toEqual([0, 0, 1, 1, -1, 2]);
    expect(c.last).toBe(30);
  });

  it("keeps the same shape for the same series so the chart is only fed new data", () => {
    const a = buildChartData([{ t: 1, d: { x: 1 } }]);
    const b = buildChartData([
      { t: 5, d: { x: 9 } },
      { t: 6, d: { x: 2 } },
    ]);
    const c = buildChartData([{ t: 5, d: { y: 9 } }]);
    expect(a.shape).toBe(b.shape);
    expect(a.shape).not.toBe(c.shape);
  });

  it("colours enum members apart", () => {
    const c = buildChartData([
      { t: 1, d: "deep" },
      { t: 2, d: "light" },
    ]);
    const row = c.events[0]!;
    expect(eventColour(row, "deep", 8)).not.toBe(eventColour(row, "light", 8));
    expect(eventAt(row, 1.05, 0.1)).toBe(0);
    expect(eventAt(row, 1.5, 0.1)).toBe(-1);
    expect(eventAt(row, 1.95, 0.1)).toBe(1);
  });
});

describe("reducePoints", () => {
  const series = Array.from({ length: 100_000 }, (_, i) => ({ t: i, d: Math.sin(i / 100) * (i % 13) + 0 }));

  it("keeps first, last, min and max of every column", () => {
    const out = reducePoints(series, 100, 0, 100_000);
    expect(out.length).toBeLessThanOrEqual(400);
    expect(out[0]).toBe(series[0]);
    expect(out[out.length - 1]).toBe(series[series.length - 1]);
    const max = Math.max(...series.map((p) => p.d));
    expect(out.some((p) => p.d === max)).toBe(true);
  });

  it("reducing page by page gives the same points as reducing at once", () => {
    const once = reducePoints(series, 200, 0, 100_000);
    const reducer = new PlotReducer(200, 0, 100_000);
    for (let i = 0; i < series.length; i += 7_000) {
      // Pages overlap by their boundary point, as the fetcher's pages do.
      reducer.addPage(JSON.stringify(series.slice(Math.max(0, i - 1), i + 7_000)));
    }
    const paged = reducer.result();
    expect(paged.count).toBe(100_000);
    expect(paged.points).toEqual(once);
  });

  it("keeps min and max of each numeric field of objects", () => {
    const objects = Array.from({ length: 1000 }, (_, i) => ({
      t: i,
      d: { a: i === 500 ? 99 : 0, b: i === 501 ? -5 : 0 },
    }));
    const out = reducePoints(objects, 10, 0, 1000);
    expect(out.some((p) => p.t === 500)).toBe(true);
    expect(out.some((p) => p.t === 501)).toBe(true);
  });
});
