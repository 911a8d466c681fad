import type { Datapoint, HeedyObject } from "../../client/index";
import { accessAllows, scopeSet } from "../../core/scopes";
import { useLength, useRecentPoints } from "../api/timeseries";
import { errorDetail } from "../state/notifications";
import { AppendForm } from "./AppendForm";
import { DataViewer } from "./DataViewer";

const RECENT = 20;

function formatTime(t: number): string {
  const date = new Date(t * 1000);
  return date.toLocaleString(undefined, {
    year: "numeric",
    month: "short",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
}

function formatData(d: unknown): string {
  return typeof d === "string" ? JSON.stringify(d) : (JSON.stringify(d) ?? "null");
}

function RecentPoints({ object }: { object: HeedyObject }) {
  const recent = useRecentPoints(object, RECENT);
  if (recent.isPending)
    return (
      <div className="table-skeleton small" role="status" aria-busy="true" aria-label="Loading points" />
    );
  if (recent.isError)
    return <p className="field-error">Could not read the points: {errorDetail(recent.error)}</p>;
  if (recent.data.length === 0) {
    return (
      <div className="empty-state compact">
        <p>No datapoints yet. Add one with the form.</p>
      </div>
    );
  }
  return (
    <div className="table-wrap">
      <table className="points-table" aria-label="Recent datapoints" aria-busy={recent.isFetching}>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Duration</th>
            <th scope="col">Data</th>
          </tr>
        </thead>
        <tbody>
          {recent.data.map((p: Datapoint) => (
            <tr key={`${p.t}`}>
              <td>
                <time dateTime={new Date(p.t * 1000).toISOString()} title={`${p.t} (unix seconds)`}>
                  {formatTime(p.t)}
                </time>
              </td>
              <td>{p.dt ? `${p.dt} s` : <span className="muted">—</span>}</td>
              <td>
                <code className="datum">{formatData(p.d)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The Data tab (file DataView.tsx): size of the series, the chart slot (part 2), the newest points and the append form. */
export function DataTab({ object }: { object: HeedyObject }) {
  const length = useLength(object);
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
      <div className="data-columns">
        <section aria-labelledby="recent-title" className="recent">
          <h3 id="recent-title">Most recent {RECENT}</h3>
          <RecentPoints object={object} />
        </section>
        <AppendForm object={object} canWrite={accessAllows(access, "write")} />
      </div>
    </div>
  );
}
