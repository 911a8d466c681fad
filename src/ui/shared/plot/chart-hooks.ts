/**
 * uPlot behaviour the object's chart and Explore's share, so a fix to one (the tooltip's flip,
 * the zoom threshold) reaches both.
 */
import uPlot from "uplot";

/** Point markers only while few enough to tell apart. */
export function fewPoints(u: uPlot, seriesIndex: number): boolean {
  return u.data[0].length < 150 && !!u.series[seriesIndex]?.show;
}

/** A drag selection wider than a few pixels zooms to it (`onZoom` with its times); it never stays drawn. */
export function zoomOnSelect(onZoom: (t1: number, t2: number) => void): (u: uPlot) => void {
  return (u) => {
    const { left, width } = u.select;
    if (width > 4) onZoom(u.posToVal(left, "x"), u.posToVal(left + width, "x"));
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
  };
}

/** Puts the tooltip beside the cursor, on its left when it would overflow the plot's right edge. */
export function placeTooltip(u: uPlot, tip: HTMLElement, left: number): void {
  const x = left + 14 + tip.offsetWidth > u.over.clientWidth ? left - 14 - tip.offsetWidth : left + 14;
  tip.style.transform = `translate(${Math.max(0, x)}px, ${Math.max(0, (u.cursor.top ?? 0) + 14)}px)`;
}

/** Axis dates in the chosen zone: uPlot's own local time for "local", else the IANA zone. */
export function zoneDates(zone: string): uPlot.Options["tzDate"] {
  if (zone === "local") return undefined;
  const name = zone === "UTC" ? "Etc/UTC" : zone;
  return (ts) => uPlot.tzDate(new Date(ts * 1e3), name);
}
