// biome-ignore-all lint/a11y/useSemanticElements: a virtual list of absolutely placed rows cannot be a <table>; ARIA gives it table semantics.
// biome-ignore-all lint/a11y/useFocusableInteractive: table rows and headers are not interactive; biome counts them as such.
/**
 * The points of the selected range, newest first, with virtual scrolling: only the rows in view are
 * rendered, and they are read in blocks of TABLE_BLOCK by index. Rows can be edited (in the append
 * form, with its schema check) or deleted; the whole range can be deleted too. Every change asks
 * first.
 */
import { useQueries } from "@tanstack/react-query";
import { type UIEvent, useMemo, useState } from "react";
import type { Datapoint, HeedyObject, TimeseriesSelection } from "../../../../client/index";
import { accessAllows, scopeSet } from "../../../../core/scopes";
import { NARROW, useMediaQuery } from "../../../shared/hooks/use-media-query";
import { useClient } from "../../../shared/session/session-store";
import { formatCount, formatDuration, formatTime } from "../../../shared/time/format";
import { describeRange, type ViewRange } from "../../../shared/time/view-range";
import { useRemovePoints } from "../api/series";
import { TABLE_BLOCK, type TableWindow, tableBlockQuery, useTableWindow } from "../api/table";
import { CARD_HEIGHT, ROW_HEIGHT, virtualRows } from "../model/virtual-rows";
import { AppendForm } from "./AppendForm";
import "./DataTable.css";
import { Dialog } from "../../../shared/components/Dialog";
import { ErrorMessage } from "../../../shared/components/ErrorMessage";

const VIEW_ROWS = 12;

function dataText(d: unknown): string {
  return JSON.stringify(d) ?? "null";
}

type Pending =
  | { kind: "delete-point"; point: Datapoint }
  | { kind: "delete-range"; selection: TimeseriesSelection; count: number }
  | { kind: "edit"; point: Datapoint };

export function DataTable({ object, range, zone }: { object: HeedyObject; range: ViewRange; zone: string }) {
  const client = useClient();
  const win = useTableWindow(client, object, range);
  const [scrollTop, setScrollTop] = useState(0);
  const [pending, setPending] = useState<Pending | null>(null);
  const canWrite = accessAllows(scopeSet(object.access), "write");
  const count = win.data?.count ?? 0;
  // Phones show each row as a card, taller than a table row (DataTable.css).
  const rowHeight = useMediaQuery(NARROW) ? CARD_HEIGHT : ROW_HEIGHT;
  const rows = virtualRows(count, scrollTop, VIEW_ROWS * ROW_HEIGHT, rowHeight);
  const blocks = useMemo(() => {
    const out: number[] = [];
    if (rows.last <= rows.first) return out;
    for (let b = Math.floor(rows.first / TABLE_BLOCK); b <= Math.floor((rows.last - 1) / TABLE_BLOCK); b++)
      out.push(b);
    return out;
  }, [rows.first, rows.last]);
  const results = useQueries({
    queries: win.data
      ? blocks.map((b) => tableBlockQuery(client, object, range, win.data as TableWindow, b))
      : [],
  });
  const rowAt = (r: number): Datapoint | undefined => {
    const b = Math.floor(r / TABLE_BLOCK);
    const k = blocks.indexOf(b);
    return k < 0 ? undefined : results[k]?.data?.[r - b * TABLE_BLOCK];
  };

  const onScroll = (e: UIEvent<HTMLDivElement>) => setScrollTop(e.currentTarget.scrollTop);
  const rendered: number[] = [];
  for (let r = rows.first; r < rows.last; r++) rendered.push(r);

  return (
    <section className="data-table" aria-label="Datapoints in range">
      <div className="data-table-head">
        <h2 className="section-title">Points in range</h2>
        <span className="data-table-count" data-testid="table-count">
          {win.data ? `${formatCount(count)} ${count === 1 ? "point" : "points"}` : "…"}
        </span>
        {canWrite && win.data && count > 0 && (
          <button
            type="button"
            className="ts-button danger"
            onClick={() => setPending({ kind: "delete-range", selection: win.data!.selection, count })}
          >
            Delete these {formatCount(count)} points…
          </button>
        )}
      </div>
      {win.isError ? (
        <p className="field-error" role="alert">
          Could not read the points. <ErrorMessage error={win.error} />
        </p>
      ) : win.data && count === 0 ? (
        <p className="data-table-empty" data-testid="table-empty">
          No points in {describeRange(range)}.
        </p>
      ) : (
        // A virtual table: only rows in view exist, so each carries its place (aria-rowindex).
        <div className="data-table-grid" role="table" aria-label="Points in range" aria-rowcount={count + 1}>
          <div role="rowgroup">
            <div className="data-table-row data-table-header" role="row" aria-rowindex={1}>
              <span role="columnheader">Time</span>
              <span role="columnheader">Duration</span>
              <span role="columnheader">Data</span>
              <span className="data-table-actions" role="columnheader">
                <span className="visually-hidden">Actions</span>
              </span>
            </div>
          </div>
          <div
            className="data-table-scroll"
            role="rowgroup"
            style={{ height: Math.min(VIEW_ROWS * ROW_HEIGHT, Math.max(count, 1) * rowHeight) }}
            onScroll={onScroll}
            data-testid="table-scroll"
          >
            <div className="data-table-spacer" style={{ height: rows.height }}>
              <div className="data-table-rows" style={{ transform: `translateY(${rows.top}px)` }}>
                {rendered.map((r) => {
                  const p = rowAt(r);
                  const when = p ? formatTime(p.t, zone) : "";
                  return (
                    <div
                      className="data-table-row"
                      data-testid="table-row"
                      key={r}
                      role="row"
                      aria-rowindex={r + 2}
                      style={{ height: rowHeight }}
                    >
                      {p ? (
                        <>
                          <span role="cell" className="data-table-time" title={`${p.t} (unix seconds)`}>
                            {when}
                          </span>
                          <span role="cell" className="data-table-duration">
                            {formatDuration(p.dt ?? 0) || "—"}
                          </span>
                          <span role="cell" className="data-table-data" title={dataText(p.d)}>
                            {dataText(p.d)}
                          </span>
                          <span role="cell" className="data-table-actions">
                            {canWrite && (
                              <>
                                <button
                                  type="button"
                                  className="ts-link"
                                  aria-label={`Edit point at ${when}`}
                                  onClick={() => setPending({ kind: "edit", point: p })}
                                >
                                  Edit
                                </button>
                                <button
                                  type="button"
                                  className="ts-link danger"
                                  aria-label={`Delete point at ${when}`}
                                  onClick={() => setPending({ kind: "delete-point", point: p })}
                                >
                                  Delete
                                </button>
                              </>
                            )}
                          </span>
                        </>
                      ) : (
                        <span role="cell" className="data-table-loading">
                          …
                        </span>
                      )}
                    </div>
                  );
                })}
              </div>
            </div>
          </div>
        </div>
      )}
      <ConfirmDialogs
        object={object}
        range={range}
        zone={zone}
        pending={pending}
        onClose={() => setPending(null)}
      />
    </section>
  );
}

function ConfirmDialogs(props: {
  object: HeedyObject;
  range: ViewRange;
  zone: string;
  pending: Pending | null;
  onClose(): void;
}) {
  const { object, pending, onClose } = props;
  const remove = useRemovePoints(object);
  const close = () => {
    remove.reset();
    onClose();
  };
  if (pending?.kind === "edit")
    return <EditPointDialog object={object} point={pending.point} zone={props.zone} onClose={close} />;
  const open = pending !== null;
  const title = pending?.kind === "delete-range" ? "Delete points in range" : "Delete datapoint";
  return (
    <Dialog open={open} title={title} onClose={close}>
      {pending?.kind === "delete-point" && (
        <p>
          Delete the point at <strong>{formatTime(pending.point.t, props.zone)}</strong> with data{" "}
          <code>{dataText(pending.point.d)}</code>? This cannot be undone.
        </p>
      )}
      {pending?.kind === "delete-range" && (
        <p>
          Delete all <strong>{formatCount(pending.count)}</strong> points of {describeRange(props.range)}?
          This cannot be undone.
        </p>
      )}
      {remove.isError && (
        <p className="field-error" role="alert">
          <ErrorMessage error={remove.error} />
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="ts-button" onClick={close} data-autofocus>
          Cancel
        </button>
        <button
          type="button"
          className="ts-button danger"
          disabled={remove.isPending}
          onClick={() => {
            if (!pending) return;
            const selection = pending.kind === "delete-point" ? { t: pending.point.t } : pending.selection;
            remove.mutate(selection, { onSuccess: close });
          }}
        >
          {remove.isPending ? "Deleting…" : "Delete"}
        </button>
      </div>
    </Dialog>
  );
}

/**
 * Edits a point's value with the append form (same widgets, same browser-side schema check) at
 * the point's exact timestamp and duration, so the server's default `update` method replaces it.
 */
function EditPointDialog({
  object,
  point,
  zone,
  onClose,
}: {
  object: HeedyObject;
  point: Datapoint;
  zone: string;
  onClose(): void;
}) {
  const canWrite = accessAllows(scopeSet(object.access), "write");
  return (
    <Dialog open title="Edit datapoint" onClose={onClose} className="edit-point-dialog">
      <AppendForm
        object={object}
        canWrite={canWrite}
        edit={{ t: point.t, dt: point.dt, d: point.d }}
        zone={zone}
        onDone={onClose}
        onCancel={onClose}
      />
    </Dialog>
  );
}
