import { useEffect, useState } from "react";
import type { HeedyObject } from "../../../../client/index";
import { accessAllows, scopeSet } from "../../../../core/scopes";
import { useDeferredReveal } from "../../../shared/hooks/use-deferred-reveal";
import { useSearchParams } from "../../../shared/navigation";
import { formatAgo, formatTime } from "../../../shared/time/format";
import { rangeFromSearch } from "../../../shared/time/view-range";
import { useTimeZone } from "../../../shared/time/zone";
import { useLastPointTime, useLength } from "../api/series";
import { AppendForm } from "./AppendForm";
import { DataTable } from "./DataTable";
import { DataViewer } from "./DataViewer";

/**
 * The Data tab, top to bottom: the size of the series, the viewer (chart,
 * range, import and export), the append form, and the table of the points in the viewer's range.
 * What is below the chart renders once it is drawn (a cold shared link draws sooner), in
 * placeholders of about its size until then.
 */
export function DataTab({ object }: { object: HeedyObject }) {
  const [rest, revealRest] = useDeferredReveal();
  const length = useLength(object);
  const last = useLastPointTime(object);
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
          <span className="stat-value small" data-testid="last-written">
            {last.data == null ? (
              (object.last_modified ?? (last.isSuccess ? "never" : "…"))
            ) : (
              <LastWritten t={last.data} zone={zone} />
            )}
          </span>
          <span className="stat-label">last written</span>
        </div>
      </div>
      <DataViewer object={object} onFirstView={revealRest} extras={rest} />
      {rest ? (
        <>
          <AppendForm object={object} canWrite={accessAllows(access, "write")} />
          {/* Keyed by object: the scroll position and an open dialog never carry over to another object. */}
          <DataTable key={object.id} object={object} range={range} zone={zone} />
        </>
      ) : (
        <div className="data-rest-placeholder" />
      )}
    </div>
  );
}

/** "2 min ago", kept current while on screen, with the exact time on hover. */
function LastWritten({ t, zone }: { t: number; zone: string }) {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 10_000);
    return () => clearInterval(timer);
  }, []);
  const exact = formatTime(t, zone);
  return (
    <time dateTime={new Date(t * 1000).toISOString()} title={exact}>
      {/* A point newer than the last tick is "just now", never "in 5 s". */}
      {formatAgo(t, t * 1000 - now < 15_000 ? Math.max(now, t * 1000) : now)}
    </time>
  );
}
