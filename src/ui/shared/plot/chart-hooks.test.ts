// @vitest-environment jsdom
import type uPlot from "uplot";
import { describe, expect, it, vi } from "vitest";
import { placeTooltip, zoomOnSelect } from "./chart-hooks";

/** The parts of a uPlot these helpers read, with a 400-px plot area. */
function plot(select = { left: 0, width: 0 }) {
  return {
    select: { ...select, top: 0, height: 0 },
    over: { clientWidth: 400 },
    cursor: { top: 20 },
    posToVal: (px: number) => px * 10,
    setSelect: vi.fn(),
  } as unknown as uPlot;
}

describe("chart hooks", () => {
  it("zooms to a drag wider than 4 px and always clears the selection", () => {
    const onZoom = vi.fn();
    const narrow = plot({ left: 10, width: 3 });
    zoomOnSelect(onZoom)(narrow);
    expect(onZoom).not.toHaveBeenCalled();
    const wide = plot({ left: 10, width: 50 });
    zoomOnSelect(onZoom)(wide);
    expect(onZoom).toHaveBeenCalledWith(100, 600);
    expect(wide.setSelect).toHaveBeenCalledWith({ left: 0, top: 0, width: 0, height: 0 }, false);
  });

  it("puts the tooltip right of the cursor, and left of it near the right edge", () => {
    const tip = document.createElement("div");
    Object.defineProperty(tip, "offsetWidth", { value: 120 });
    placeTooltip(plot(), tip, 100);
    expect(tip.style.transform).toBe("translate(114px, 34px)");
    placeTooltip(plot(), tip, 300);
    expect(tip.style.transform).toBe("translate(166px, 34px)");
  });
});
