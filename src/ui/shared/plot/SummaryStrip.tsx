/** Count, mean, min, max, first, last and total duration of the points in the visible range. */
import { statValue, type WindowStats } from "../../../core/aggregate";
import { formatCount, formatDuration, formatValue } from "../time/format";
import { eventText } from "./series";

function valueText(v: unknown): string {
  if (typeof v === "number") return formatValue(v, "number");
  if (typeof v === "boolean") return v ? "true" : "false";
  return eventText(v);
}

export function SummaryStrip({ summary, label }: { summary: WindowStats | undefined; label?: string }) {
  if (!summary) return null;
  const mean = statValue(summary, "mean");
  const items: [string, string][] = [
    ["count", formatCount(summary.n)],
    ["mean", mean === null ? "–" : formatValue(mean, "number")],
    ["min", formatValue(summary.min, "number")],
    ["max", formatValue(summary.max, "number")],
    ["first", summary.n > 0 ? valueText(summary.first) : "–"],
    ["last", summary.n > 0 ? valueText(summary.last) : "–"],
    ["duration", summary.duration > 0 ? formatDuration(summary.duration) : "–"],
  ];
  return (
    <dl className="summary-strip" aria-label={label ? `Summary of ${label}` : "Summary of the visible range"}>
      {label && <div className="summary-name">{label}</div>}
      {items.map(([name, value]) => (
        <div key={name} className="summary-item" data-stat={name}>
          <dt>{name}</dt>
          <dd>{value.length > 40 ? `${value.slice(0, 39)}…` : value}</dd>
        </div>
      ))}
    </dl>
  );
}
