/**
 * Chart colours come from CSS custom properties (Chart.css), so light and dark themes live in the
 * stylesheet. uPlot draws on a canvas, so the values are read here and the chart is redrawn when
 * the scheme changes (the media query, or a `class`/`style` change on <html>).
 */

export interface ChartTheme {
  axis: string;
  grid: string;
  series: string[];
  events: string[];
  eventText: string;
  background: string;
}

const FALLBACK: ChartTheme = {
  axis: "#555",
  grid: "rgba(0,0,0,0.08)",
  series: ["#1f6feb", "#d1242f", "#1a7f37", "#8250df", "#bc4c00", "#0a7c86", "#bf3989", "#6e7781"],
  events: ["#4c8bf5", "#e5534b", "#3fb950", "#a371f7", "#f0883e", "#39c5cf", "#db61a2", "#8b949e"],
  eventText: "#fff",
  background: "#fff",
};

function list(style: CSSStyleDeclaration, prefix: string, fallback: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < 8; i++) {
    const v = style.getPropertyValue(`${prefix}${i}`).trim();
    out.push(v || fallback[i]!);
  }
  return out;
}

export function readTheme(element: Element): ChartTheme {
  if (typeof getComputedStyle !== "function") return FALLBACK;
  const style = getComputedStyle(element);
  const get = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    axis: get("--chart-axis", FALLBACK.axis),
    grid: get("--chart-grid", FALLBACK.grid),
    series: list(style, "--chart-series-", FALLBACK.series),
    events: list(style, "--chart-event-", FALLBACK.events),
    eventText: get("--chart-event-text", FALLBACK.eventText),
    background: get("--chart-background", FALLBACK.background),
  };
}

/** Calls `onChange` when the colour scheme may have changed; returns the unsubscribe function. */
export function watchTheme(onChange: () => void): () => void {
  const cleanups: (() => void)[] = [];
  if (typeof window !== "undefined" && typeof window.matchMedia === "function") {
    const mq = window.matchMedia("(prefers-color-scheme: dark)");
    mq.addEventListener?.("change", onChange);
    cleanups.push(() => mq.removeEventListener?.("change", onChange));
  }
  if (typeof MutationObserver !== "undefined" && typeof document !== "undefined") {
    const observer = new MutationObserver(onChange);
    const options = { attributes: true, attributeFilter: ["class", "style"] };
    observer.observe(document.documentElement, options);
    if (document.body) observer.observe(document.body, options);
    cleanups.push(() => observer.disconnect());
  }
  return () => {
    for (const c of cleanups) c();
  };
}
