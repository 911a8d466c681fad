// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { buildChartData } from "../../../../shared/plot/series";
import TimeseriesChart from "./TimeseriesChart";

afterEach(cleanup);

const points = (n: number, f: (i: number) => unknown) =>
  Array.from({ length: n }, (_, i) => ({ t: 1000 + i, d: f(i) }));

describe("TimeseriesChart", () => {
  it("is created once and fed new data with the same series, rebuilt only for new series", () => {
    const a = points(10, (i) => i);
    const props = { zone: "local", onZoom: vi.fn(), onReset: vi.fn() };
    const { container, rerender } = render(
      <TimeseriesChart data={buildChartData(a)} points={a} {...props} />,
    );
    const first = container.querySelector(".uplot");
    expect(first).not.toBeNull();
    const b = points(20, (i) => i * 2);
    rerender(<TimeseriesChart data={buildChartData(b)} points={b} {...props} />);
    expect(container.querySelector(".uplot")).toBe(first);
    expect(container.querySelectorAll(".uplot")).toHaveLength(1);
    expect(screen.getByRole("list", { name: "Legend" }).textContent).toContain("38");
    const c = points(5, (i) => ({ x: i, y: -i }));
    rerender(<TimeseriesChart data={buildChartData(c)} points={c} {...props} />);
    expect(container.querySelector(".uplot")).not.toBe(first);
    expect(container.querySelectorAll(".uplot")).toHaveLength(1);
  });

  it("toggles series from the legend", () => {
    const a = points(5, (i) => ({ x: i, y: -i }));
    render(
      <TimeseriesChart data={buildChartData(a)} points={a} zone="local" onZoom={vi.fn()} onReset={vi.fn()} />,
    );
    const x = screen.getByRole("button", { name: /^x/ });
    expect(x.getAttribute("aria-pressed")).toBe("true");
    fireEvent.click(x);
    expect(x.getAttribute("aria-pressed")).toBe("false");
  });

  it("double-click asks for a reset", () => {
    const a = points(5, (i) => i);
    const onReset = vi.fn();
    const { container } = render(
      <TimeseriesChart data={buildChartData(a)} points={a} zone="local" onZoom={vi.fn()} onReset={onReset} />,
    );
    fireEvent.dblClick(container.querySelector(".u-over")!);
    expect(onReset).toHaveBeenCalledTimes(1);
  });

  it("zooms with + and pans with the arrows once focused, and sums up the visible range", () => {
    const a = points(101, (i) => i);
    const onZoom = vi.fn();
    render(
      <TimeseriesChart data={buildChartData(a)} points={a} zone="UTC" onZoom={onZoom} onReset={vi.fn()} />,
    );
    const chart = screen.getByRole("group", { name: /Plus and minus zoom/ });
    fireEvent.keyDown(chart, { key: "+" });
    expect(onZoom).toHaveBeenLastCalledWith(1025, 1075);
    fireEvent.keyDown(chart, { key: "ArrowRight" });
    expect(onZoom).toHaveBeenLastCalledWith(1025, 1125);
    expect(screen.getByTestId("chart-summary").textContent).toMatch(
      /^Showing .* to .*; value from 0 to 100\.$/,
    );
  });
});
