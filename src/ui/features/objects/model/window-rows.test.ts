import { describe, expect, it } from "vitest";
import { windowRows } from "./window-rows";

describe("windowRows", () => {
  it("renders only the rows in view, plus overscan", () => {
    // 10,000 rows of 50 px; the list starts 200 px below the top; an 800-px viewport.
    expect(windowRows(10_000, 50, 200, 800, 2)).toEqual({ first: 0, last: 14, before: 0, after: 9_986 * 50 });
    // Scrolled 100,000 px down: the list's top is far above the viewport.
    const w = windowRows(10_000, 50, -100_000, 800, 2);
    expect([w.first, w.last]).toEqual([1_998, 2_018]);
    expect(w.before + (w.last - w.first) * 50 + w.after).toBe(500_000);
  });

  it("clamps at the ends and for short lists", () => {
    expect(windowRows(3, 50, 0, 800)).toEqual({ first: 0, last: 3, before: 0, after: 0 });
    expect(windowRows(100, 50, -10_000, 800, 0)).toEqual({ first: 100, last: 100, before: 5_000, after: 0 });
    expect(windowRows(0, 50, 0, 800)).toEqual({ first: 0, last: 0, before: 0, after: 0 });
  });
});
