/** The "per" selector: raw points, or one value per minute / hour / day / week. */
import { AGGREGATE_FNS, type AggregateFn } from "../../../core/aggregate";
import { formatPer, PER_WINDOWS, type Per, type PerWindow, parsePer } from "./per";

export function PerSelect({ per, onChange }: { per: Per | null; onChange(per: Per | null): void }) {
  return (
    <span className="ts-per">
      <label>
        <span>Per</span>
        <select
          aria-label="Aggregate per"
          value={per?.window ?? "raw"}
          onChange={(e) => {
            const window = e.target.value;
            onChange(window === "raw" ? null : { window: window as PerWindow, fn: per?.fn ?? "mean" });
          }}
        >
          <option value="raw">raw</option>
          {PER_WINDOWS.map((w) => (
            <option key={w} value={w}>
              {w}
            </option>
          ))}
        </select>
      </label>
      <select
        aria-label="Aggregate function"
        value={per?.fn ?? "mean"}
        disabled={!per}
        onChange={(e) => per && onChange(parsePer(formatPer({ ...per, fn: e.target.value as AggregateFn })!))}
      >
        {AGGREGATE_FNS.map((f) => (
          <option key={f} value={f}>
            {f}
          </option>
        ))}
      </select>
    </span>
  );
}
