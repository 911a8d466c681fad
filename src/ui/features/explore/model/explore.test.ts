import { describe, expect, it } from "vitest";
import { alignedCsv, alignOnTime } from "./align";
import { planAxes, unitOf } from "./axes";
import { exploreFromSearch, withSeries } from "./explore-url";

describe("axis grouping", () => {
  it("puts series with the same unit on one axis and others on their own", () => {
    const plan = planAxes([
      { key: "hr", schema: { type: "number", unit: "bpm" } },
      { key: "steps", schema: { type: "integer" } },
      { key: "hr2", schema: { type: "number", unit: "bpm" } },
    ]);
    expect(plan.axes).toEqual([
      { id: "y0", label: "bpm", keys: ["hr", "hr2"] },
      { id: "y1", label: "integer", keys: ["steps"] },
    ]);
    expect(plan.normalised).toEqual([]);
  });

  it("shares an axis between series whose schemas agree, and gives schemaless series their own", () => {
    const plan = planAxes([
      { key: "a", schema: { type: "number", minimum: 0, maximum: 100 } },
      { key: "b", schema: { type: "number", minimum: 0, maximum: 100 } },
      { key: "c", schema: {} },
    ]);
    expect(plan.axes.map((a) => a.keys)).toEqual([["a", "b"], ["c"]]);
    expect(plan.axes[0]!.label).toBe("number 0–100");
  });

  it("normalises the smallest groups beyond the axis limit instead of dropping them", () => {
    const plan = planAxes(
      [
        { key: "a", schema: {} },
        { key: "b", schema: { unit: "kg" } },
        { key: "c", schema: { unit: "kg" } },
        { key: "d", schema: {} },
        { key: "e", schema: {} },
      ],
      2,
    );
    expect(plan.axes.map((a) => a.keys)).toEqual([["a"], ["b", "c"]]);
    expect(plan.normalised).toEqual(["d", "e"]);
    expect(unitOf({ "x-unit": "°C" })).toBe("°C");
  });
});

describe("CSV aligned on time", () => {
  it("has one row per distinct time and one column per series", () => {
    const columns = [
      {
        name: "weight",
        points: [
          { t: 1, d: 70 },
          { t: 3, d: 71 },
        ],
      },
      {
        name: "mood, evening",
        points: [
          { t: 2, d: "ok" },
          { t: 3, d: 'said "fine"' },
        ],
      },
    ];
    expect(alignOnTime(columns)).toEqual({
      times: [1, 2, 3],
      columns: [
        [70, undefined, 71],
        [undefined, "ok", 'said "fine"'],
      ],
    });
    expect(alignedCsv(columns)).toBe(
      [
        't,time,weight,"mood, evening"',
        "1,1970-01-01T00:00:01.000Z,70,",
        "2,1970-01-01T00:00:02.000Z,,ok",
        '3,1970-01-01T00:00:03.000Z,71,"said ""fine"""',
        "",
      ].join("\n"),
    );
  });
});

describe("Explore URL", () => {
  it("reads series, fields, the raw range and the aggregation, and keeps unknown order", () => {
    const v = exploreFromSearch(new URLSearchParams("s=a&s=b.hr&s=a&from=now-7d&to=now&per=hour-mean"));
    expect(v.series).toEqual([{ id: "a" }, { id: "b", field: "hr" }]);
    expect(v.range).toEqual({ kind: "time", from: "now-7d", to: "now" });
    expect(v.per).toEqual({ window: "hour", fn: "mean" });
    expect(exploreFromSearch(new URLSearchParams("s=a")).range).toEqual({
      kind: "time",
      from: "now-7d",
      to: "now",
    });
    expect(withSeries(new URLSearchParams("s=a&from=now-1d"), ["x", "y.f"]).toString()).toBe(
      "from=now-1d&s=x&s=y.f",
    );
  });
});

describe("Explore chart data", () => {
  it("merges lines onto the union of their times and sends strings to state rows", async () => {
    const { buildExploreChart, mergeLines } = await import("./explore-chart");
    expect(
      mergeLines([
        { x: [1, 3], values: [10, 30] },
        { x: [2, 3], values: [null, 5] },
      ]),
    ).toEqual({
      x: [1, 2, 3],
      aligned: [
        [10, undefined, 30],
        [undefined, null, 5],
      ],
    });
    const plan = planAxes([
      { key: "a", schema: { unit: "kg" } },
      { key: "b", schema: {} },
    ]);
    const chart = buildExploreChart(
      [
        {
          key: "a",
          name: "Weight",
          points: [
            { t: 1, d: 70 },
            { t: 5, d: 72 },
          ],
        },
        {
          key: "b",
          name: "Mood",
          points: [
            { t: 2, d: "ok" },
            { t: 4, d: "good" },
          ],
        },
      ],
      plan,
    );
    expect(chart.lines.map((l) => [l.name, l.scale])).toEqual([["Weight", "y0"]]);
    expect(chart.rows.map((r) => [r.label, r.text])).toEqual([["Mood", ["ok", "good"]]]);
    expect([chart.first, chart.last]).toEqual([1, 5]);
  });
});
