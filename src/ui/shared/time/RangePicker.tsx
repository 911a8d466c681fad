/**
 * Presets (last 1,000 points, 1 h … 30 d, today, yesterday, all) and a custom window that takes
 * absolute dates and relative `now-…` strings, with a calendar (`datetime-local`) for each end in
 * the chosen time zone. The picker only edits a ViewRange; the page keeps it in the URL.
 */
import { type FormEvent, useId, useState } from "react";
import { fromDatetimeLocal, toDatetimeLocal, type ZoneChoice } from "./calendar";
import {
  absoluteTime,
  describeRange,
  parseRangeTime,
  presetOf,
  RANGE_PRESETS,
  type ViewRange,
} from "./view-range";
import "./RangePicker.css";

export interface RangePickerProps {
  range: ViewRange;
  zone?: ZoneChoice;
  onChange(range: ViewRange): void;
}

/** The calendar's reading of a range end, or "" when the text is not a time. */
function calendarValue(text: string, zone: ZoneChoice, end: boolean): string {
  try {
    return toDatetimeLocal(parseRangeTime(text, new Date(), { zone, end }), zone);
  } catch {
    return "";
  }
}

export function RangePicker({ range, zone = "local", onChange }: RangePickerProps) {
  const id = useId();
  const active = presetOf(range);
  const [open, setOpen] = useState(false);
  const [from, setFrom] = useState(range.kind === "time" ? range.from : "now-6h");
  const [to, setTo] = useState(range.kind === "time" ? range.to : "now");
  const [error, setError] = useState<string | null>(null);

  const openCustom = () => {
    if (range.kind === "time") {
      setFrom(range.from);
      setTo(range.to);
    }
    setError(null);
    setOpen((o) => !o);
  };

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const now = new Date();
    try {
      const t1 = parseRangeTime(from, now, { zone });
      const t2 = parseRangeTime(to, now, { zone, end: true });
      if (!(t2 > t1)) throw new Error("The range ends before it starts. Swap the two times.");
    } catch (err) {
      setError((err as Error).message);
      return;
    }
    setError(null);
    setOpen(false);
    onChange({ kind: "time", from: from.trim(), to: to.trim() });
  };

  return (
    <div className="range-picker">
      <fieldset className="range-presets">
        <legend className="visually-hidden">Range</legend>
        {RANGE_PRESETS.map((p) => (
          <button
            key={p.id}
            type="button"
            className="range-preset"
            aria-pressed={active?.id === p.id}
            onClick={() => {
              setOpen(false);
              onChange(p.range);
            }}
          >
            {p.label}
          </button>
        ))}
        <button
          type="button"
          className="range-preset"
          aria-pressed={!active}
          aria-expanded={open}
          aria-controls={`${id}-custom`}
          onClick={openCustom}
        >
          {!active && range.kind === "time" ? describeRange(range, zone).replace(" to ", " → ") : "Custom"}
        </button>
      </fieldset>
      {open && (
        <form id={`${id}-custom`} className="range-custom" onSubmit={apply} noValidate>
          <div className="range-custom-field">
            <label htmlFor={`${id}-from`}>From</label>
            <input
              id={`${id}-from`}
              value={from}
              onChange={(e) => setFrom(e.target.value)}
              placeholder="now-6h or 2024-05-01 12:00"
              aria-invalid={error ? true : undefined}
              aria-describedby={`${id}-help`}
            />
            <input
              type="datetime-local"
              step={1}
              aria-label="Pick the start on a calendar"
              value={calendarValue(from, zone, false)}
              onChange={(e) => {
                const t = fromDatetimeLocal(e.target.value, zone);
                if (t !== undefined) setFrom(absoluteTime(t));
              }}
            />
          </div>
          <div className="range-custom-field">
            <label htmlFor={`${id}-to`}>To</label>
            <input
              id={`${id}-to`}
              value={to}
              onChange={(e) => setTo(e.target.value)}
              placeholder="now"
              aria-invalid={error ? true : undefined}
              aria-describedby={`${id}-help`}
            />
            <input
              type="datetime-local"
              step={1}
              aria-label="Pick the end on a calendar"
              value={calendarValue(to, zone, true)}
              onChange={(e) => {
                const t = fromDatetimeLocal(e.target.value, zone);
                if (t !== undefined) setTo(absoluteTime(t));
              }}
            />
          </div>
          <button type="submit" className="button primary">
            Apply
          </button>
          <p id={`${id}-help`} className={error ? "field-error" : "hint"} role={error ? "alert" : undefined}>
            {error ??
              "Relative: now-6h, now-1h30m, now-2d; calendar days: now/d (today), now-1d/d. Absolute: 2024-05-01 12:00 (the chosen time zone), 2024-05-01T12:00:00Z, or the calendar."}
          </p>
        </form>
      )}
    </div>
  );
}
