/**
 * Presets (last 1,000 points, 1 h … 30 d, all) and a custom window that takes absolute dates and
 * relative `now-…` strings. The picker only edits a ViewRange; the viewer keeps it in the URL.
 */
import { type FormEvent, useId, useState } from "react";
import { parseRangeTime, presetOf, RANGE_PRESETS, type ViewRange } from "./view-range";
import "./RangePicker.css";

export interface RangePickerProps {
  range: ViewRange;
  onChange(range: ViewRange): void;
}

export function RangePicker({ range, onChange }: RangePickerProps) {
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
      const t1 = parseRangeTime(from, now);
      const t2 = parseRangeTime(to, now);
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
          {!active && range.kind === "time" ? `${range.from} → ${range.to}` : "Custom"}
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
          </div>
          <button type="submit" className="button primary">
            Apply
          </button>
          <p id={`${id}-help`} className={error ? "field-error" : "hint"} role={error ? "alert" : undefined}>
            {error ??
              "Relative: now-6h, now-1h30m, now-2d. Absolute: 2024-05-01 12:00 (your time zone) or 2024-05-01T12:00:00Z."}
          </p>
        </form>
      )}
    </div>
  );
}
