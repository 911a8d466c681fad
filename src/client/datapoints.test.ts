import { describe, expect, it } from "vitest";
import { DatapointArray } from "./datapoints.js";

const points = DatapointArray.fromPoints([
  { t: 10, d: 1 },
  { t: 20, dt: 5, d: 2 },
  { t: 30, d: 6 },
]);

describe("DatapointArray", () => {
  it("is a real array", () => {
    expect(Array.isArray(points)).toBe(true);
    expect(points).toHaveLength(3);
    expect(points[1]).toEqual({ t: 20, dt: 5, d: 2 });
    expect(JSON.parse(JSON.stringify(points))).toEqual([
      { t: 10, d: 1 },
      { t: 20, dt: 5, d: 2 },
      { t: 30, d: 6 },
    ]);
  });

  it("splits into d, t, dt and dates", () => {
    expect(points.d()).toEqual([1, 2, 6]);
    expect(points.t()).toEqual([10, 20, 30]);
    expect(points.dt()).toEqual([0, 5, 0]);
    expect(points.dates()[0]!.toISOString()).toBe("1970-01-01T00:00:10.000Z");
  });

  it("sums and averages numeric data", () => {
    expect(points.sum()).toBe(9);
    expect(points.mean()).toBe(3);
    expect(new DatapointArray().sum()).toBe(0);
    expect(new DatapointArray().mean()).toBeNaN();
  });

  it("refuses to sum non-numeric data", () => {
    const mixed = DatapointArray.fromPoints<unknown>([
      { t: 1, d: 1 },
      { t: 2, d: "x" },
    ]);
    expect(() => mixed.sum()).toThrow(TypeError);
  });

  it("merges two arrays into a new one ordered by time", () => {
    const merged = points.merge([
      { t: 15, d: 10 },
      { t: 5, d: 20 },
      { t: 30, d: 7 },
    ]);
    expect(merged).toBeInstanceOf(DatapointArray);
    expect(merged.t()).toEqual([5, 10, 15, 20, 30, 30]);
    // Ties keep this array's point first.
    expect(merged.d()).toEqual([20, 1, 10, 2, 6, 7]);
    expect(points).toHaveLength(3);
  });

  it("builds plain arrays from map/filter/slice (the helpers need datapoints)", () => {
    const mapped = points.map((p) => p.d);
    expect(mapped).not.toBeInstanceOf(DatapointArray);
    expect(mapped).toEqual([1, 2, 6]);
    // Array#slice already follows Python's negative-index rules.
    expect(points.slice(-2).map((p) => p.t)).toEqual([20, 30]);
  });

  it("copies large arrays without exhausting the stack", () => {
    const many = Array.from({ length: 300_000 }, (_, i) => ({ t: i, d: i }));
    expect(DatapointArray.fromPoints(many)).toHaveLength(300_000);
  });

  describe("toCSV", () => {
    it("writes t,dt,d with CRLF line ends", () => {
      expect(points.toCSV()).toBe("t,dt,d\r\n10,0,1\r\n20,5,2\r\n30,0,6\r\n");
    });

    it("writes ISO times when asked", () => {
      expect(DatapointArray.fromPoints([{ t: 1714557600.5, d: 1 }]).toCSV({ time: "iso" })).toBe(
        "t,dt,d\r\n2024-05-01T10:00:00.500Z,0,1\r\n",
      );
    });

    it("quotes fields with commas, quotes and line breaks", () => {
      const text = DatapointArray.fromPoints<unknown>([
        { t: 1, d: 'say "hi", then\nleave' },
        { t: 2, d: null },
        { t: 3, d: [1, 2] },
        { t: 4, d: true },
      ]).toCSV();
      expect(text).toBe('t,dt,d\r\n1,0,"say ""hi"", then\nleave"\r\n2,0,\r\n3,0,"[1,2]"\r\n4,0,true\r\n');
    });

    it("spreads object data over d.<key> columns", () => {
      const text = DatapointArray.fromPoints<unknown>([
        { t: 1, d: { x: 1, y: "a" } },
        { t: 2, d: { x: 2, z: { deep: true } } },
      ]).toCSV();
      expect(text).toBe('t,dt,d.x,d.y,d.z\r\n1,0,1,a,\r\n2,0,2,,"{""deep"":true}"\r\n');
    });

    it("writes only the header for an empty array", () => {
      expect(new DatapointArray().toCSV()).toBe("t,dt,d\r\n");
    });
  });
});
