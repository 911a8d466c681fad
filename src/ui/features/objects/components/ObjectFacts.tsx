/**
 * The list's three fact cells of one timeseries row: latest value, point count and a sparkline of
 * the last day. A row asks only once it has stayed on screen for a moment, so flinging through
 * 10,000 rows reads nothing for the rows flown past.
 */
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { HeedyObject } from "../../../../client/index";
import { useClient } from "../../../shared/session/session-store";
import { objectFactsQuery } from "../api/object-facts";
import { localDateTime, shortCount, shortValue, sparkPath, sparkPoints } from "../model/facts-format";

const SETTLE_MS = 150;
const SPARK_W = 96;
const SPARK_H = 24;

export function ObjectFactCells({ object }: { object: HeedyObject }) {
  const client = useClient();
  const [settled, setSettled] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(true), SETTLE_MS);
    return () => clearTimeout(timer);
  }, []);
  const timeseries = object.type === "timeseries";
  const facts = useQuery({ ...objectFactsQuery(client, object), enabled: settled && timeseries });
  if (!timeseries)
    return (
      <>
        <td className="fact-cell muted">—</td>
        <td className="fact-cell muted">—</td>
        <td className="spark-cell" />
      </>
    );
  if (facts.isError)
    return (
      <td className="fact-cell muted" colSpan={3} title={facts.error.message}>
        facts unavailable
      </td>
    );
  const f = facts.data;
  const spark = f ? sparkPoints(f.day) : null;
  return (
    <>
      <td className="fact-cell latest-cell" data-testid="fact-latest">
        {f ? (
          f.latest ? (
            <span title={`${JSON.stringify(f.latest.d)} at ${localDateTime(f.latest.t)}`}>
              {shortValue(f.latest.d)}
            </span>
          ) : (
            <span className="muted">—</span>
          )
        ) : (
          <span className="fact-loading">…</span>
        )}
      </td>
      <td className="fact-cell count-cell" data-testid="fact-count">
        {f ? shortCount(f.count) : <span className="fact-loading">…</span>}
      </td>
      <td className="spark-cell" data-testid="fact-spark">
        {f &&
          (spark ? (
            <svg
              width={SPARK_W}
              height={SPARK_H}
              viewBox={`0 0 ${SPARK_W} ${SPARK_H}`}
              role="img"
              aria-label={`${f.day.length} points in the last day, from ${shortValue(spark[0]![1])} to ${shortValue(spark[spark.length - 1]![1])}`}
            >
              <path d={sparkPath(spark, f.from, f.to, SPARK_W, SPARK_H)} className="spark-line" />
            </svg>
          ) : (
            <span className="muted small">{f.day.length > 0 ? `${f.day.length} points` : "none today"}</span>
          ))}
      </td>
    </>
  );
}
