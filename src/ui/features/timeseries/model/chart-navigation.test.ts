import { describe, expect, it } from "vitest";
import { keyWindow, pinchWindow, tapZoomWindow } from "./chart-navigation";

describe("chart navigation", () => {
  it("zooms around the middle with + and -, pans with the arrows", () => {
    expect(keyWindow("+", [0, 100])).toEqual([25, 75]);
    expect(keyWindow("-", [25, 75])).toEqual([0, 100]);
    expect(keyWindow("ArrowRight", [0, 100])).toEqual([25, 125]);
    expect(keyWindow("ArrowLeft", [0, 100])).toEqual([-25, 75]);
    expect(keyWindow("Escape", [0, 100])).toBe("reset");
    expect(keyWindow("a", [0, 100])).toBeNull();
  });

  it("keeps the time under the fingers while pinching and panning", () => {
    const start = { window: [0, 100] as const, width: 400, spread: 100, centre: 200 };
    // Fingers twice as far apart: half the span, same middle.
    expect(pinchWindow(start, 200, 200)).toEqual([25, 75]);
    // Same spread, middle moved right by a quarter of the plot: the window moves left by 25 s.
    expect(pinchWindow(start, 100, 300)).toEqual([-25, 75]);
  });

  it("zooms in around a double-tapped time", () => {
    expect(tapZoomWindow([0, 100], 80)).toEqual([40, 90]);
  });
});
