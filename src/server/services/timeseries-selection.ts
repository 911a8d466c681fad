/**
 * Which points a read or delete selects (contract 8.3, 8.8): the combination rules of `t`, `t1`,
 * `t2`, `i`, `i1`, `i2`, with heedy's messages. Input is the decoded query; output is what the
 * store reads.
 */
import { parseTime } from "../../core/time.js";
import { HttpError } from "../http/errors.js";
import type { TimeseriesSelection } from "../store/timeseries.js";

export interface SelectionQuery {
  t?: string;
  t1?: string;
  t2?: string;
  i?: number;
  i1?: number;
  i2?: number;
}

/** A time value of 8.4; an empty value counts as absent. Errors keep heedy's message (400). */
export function queryTime(value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  try {
    return parseTime(value);
  } catch (e) {
    throw new HttpError(400, (e as Error).message);
  }
}

const given = (v: string | undefined) => v !== undefined && v !== "";

/** The selection of a read (8.3); t1/t2 are parsed before the combination checks, as heedy does. */
export function readSelection(q: SelectionQuery): TimeseriesSelection {
  const t1 = queryTime(q.t1);
  const t2 = queryTime(q.t2);
  const hasT = given(q.t);
  if (hasT) {
    if (q.i !== undefined || q.i2 !== undefined || (q.i1 !== undefined && q.i1 !== 0)) {
      throw new HttpError(
        400,
        "bad_query: cannot query by single index and single timestamp at the same time",
      );
    }
    if (t1 !== undefined || t2 !== undefined) {
      throw new HttpError(400, "bad_query: Cannot query by range and by single timestamp at the same time");
    }
  }
  if (
    q.i !== undefined &&
    (t1 !== undefined || t2 !== undefined || q.i1 !== undefined || q.i2 !== undefined)
  ) {
    throw new HttpError(400, "bad_query: Cannot query by range and by single index at the same time");
  }
  return hasT ? { t: queryTime(q.t) } : { t1, t2, i: q.i, i1: q.i1, i2: q.i2 };
}

/**
 * The selection of a delete (8.8): something must be selected, and transforms and limits are
 * refused, checked in heedy's order.
 */
export function deleteSelection(
  q: SelectionQuery & { transform?: string; limit?: number },
): TimeseriesSelection {
  const hasT = given(q.t);
  if (
    !hasT &&
    !given(q.t1) &&
    !given(q.t2) &&
    q.i === undefined &&
    q.i1 === undefined &&
    q.i2 === undefined
  ) {
    throw new HttpError(400, "bad_query: no index or time range specified");
  }
  if (given(q.transform) || q.limit !== undefined) {
    throw new HttpError(400, "bad_query: transforms and limits are not supported for delete");
  }
  const t1 = queryTime(q.t1);
  const t2 = queryTime(q.t2);
  if (
    hasT &&
    (t1 !== undefined || t2 !== undefined || q.i !== undefined || q.i1 !== undefined || q.i2 !== undefined)
  ) {
    throw new HttpError(400, "bad_query: cannot delete by single timestamp with additional range/index");
  }
  if (
    q.i !== undefined &&
    (t1 !== undefined || t2 !== undefined || q.i1 !== undefined || q.i2 !== undefined)
  ) {
    throw new HttpError(400, "bad_query: cannot delete by single index with additional range");
  }
  return hasT ? { t: queryTime(q.t) } : { t1, t2, i: q.i, i1: q.i1, i2: q.i2 };
}

/** The selection of a plot read (decision 6): a time or index range only. */
export function plotSelection(q: Pick<SelectionQuery, "t1" | "t2" | "i1" | "i2">): TimeseriesSelection {
  return { t1: queryTime(q.t1), t2: queryTime(q.t2), i1: q.i1, i2: q.i2 };
}
