import { describe, expect, it } from "vitest";
import { shortCount, shortValue, sparkPath, sparkPoints } from "./facts-format";

describe("list facts", () => {
  it("shortens values and counts for a cell", () => {
    expect(shortValue(21.456789)).toBe("21.46");
    expect(shortValue(42)).toBe("42");
    expect(shortValue(12345678.9)).toBe("1.23e+7");
    expect(shortValue({ temp: 20, room: "kitchen and more text" })).toBe('{"temp":20,"room":"kitc…');
    expect(shortValue("ok")).toBe("ok");
    expect(shortCount(9_999)).toBe("9,999");
    expect(shortCount(1_234_567)).toBe("1.23M");
  });

  it("draws numeric points only, scaled into the box", () => {
    expect(sparkPoints([{ t: 1, d: "x" }])).toBeNull();
    const pts = sparkPoints([
      { t: 0, d: 0 },
      { t: 5, d: "skip" },
      { t: 10, d: 10 },
    ])!;
    expect(pts).toEqual([
      [0, 0],
      [10, 10],
    ]);
    expect(sparkPath(pts, 0, 10, 100, 20)).toBe("M0.0,19.0L100.0,1.0");
    expect(sparkPath([[5, 3]], 0, 10, 100, 20)).toBe("M50.0,10.0");
  });
});
