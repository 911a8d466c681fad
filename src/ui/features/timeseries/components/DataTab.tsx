import type { HeedyObject } from "../../../../client/index";
import { accessAllows, scopeSet } from "../../../../core/scopes";
import { useSearchParams } from "../../../shared/navigation";
import { rangeFromSearch } from "../../../shared/time/view-range";
import { useTimeZone } from "../../../shared/time/zone";
import { useLength } from "../api/series";
import { AppendForm } from "./AppendForm";
import { DataTable } from "./DataTable";
import { DataViewer } from "./DataViewer";

/**
 * The Data tab, top to bottom: the size of the series, the viewer (chart,
 * range, import and export), the append form, and the table of the points in the viewer's range.
 */
export function DataTab({ object }: { object: HeedyObject }) {
  const length = useLength(object);
  const range = rangeFromSearch(useSearchParams());
  const zone = useTimeZone((s) => s.zone);
  const access = scopeSet(object.access);
  if (object.type !== "timeseries") {
    return (
      <div className="empty-state">
        <p>This object is a {object.type}; only timeseries objects hold datapoints.</p>
      </div>
    );
  }
  return (
    <div className="data-view">
      <div className="stats" aria-live="polite">
        <div className="stat">
          <span className="stat-value" data-testid="datapoint-count">
            {length.isSuccess ? length.data.toLocaleString() : "…"}
          </span>
          <span className="stat-label">
            {length.isSuccess && length.data === 1 ? "datapoint" : "datapoints"}
          </span>
        </div>
        <div className="stat">
          <span className="stat-value small">{object.last_modified ?? "never"}</span>
          <span className="stat-label">last written</span>
        </div>
      </div>
      <DataViewer object={object} />
      <AppendForm object={object} canWrite={accessAllows(access, "write")} />
      {/* Keyed by object: the scroll position and an open dialog never carry over to another object. */}
      <DataTable key={object.id} object={object} range={range} zone={zone} />
    </div>
  );
}
