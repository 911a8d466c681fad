import { useEffect, useId, useRef, useState } from "react";
import { type HeedyObject, type JsonSchema, Timeseries } from "../../../../client/index";
import { canonicalJson } from "../../../../core/schema-basics";
import { canUpdateFields, scopeSet } from "../../../../core/scopes";
import { ErrorMessage } from "../../../shared/components/ErrorMessage";
import { useLeaveGuard } from "../../../shared/navigation";
import { notifySuccess, reportError } from "../../../shared/notifications/notification-store";
import { useClient } from "../../../shared/session/session-store";
import { checkExistingData, SCHEMA_CHECK_SAMPLE, type SchemaCheckReport, useSaveSchema } from "../api/schema";
import { inferSchema } from "../model/infer-schema";
import { type SchemaDraft, SchemaEditor } from "./SchemaEditor/SchemaEditor";

/** Points read to propose a schema. */
const INFER_DEFAULT = 1000;

export function reportText(r: SchemaCheckReport): string {
  const sampled =
    r.total > r.checked
      ? `Sampled the last ${r.checked.toLocaleString()} points of ${r.total.toLocaleString()} (the check reads at most ${SCHEMA_CHECK_SAMPLE.toLocaleString()})`
      : `Checked all ${r.checked.toLocaleString()} datapoint${r.checked === 1 ? "" : "s"}`;
  if (r.failed === 0) return `${sampled}: every one matches the new schema.`;
  return `${sampled}: ${r.failed.toLocaleString()} would fail the new schema.`;
}

/**
 * The Schema tab: edit, check the stored data against the draft, then save. heedy does not
 * re-validate stored points when the schema changes, so the check is our own warning.
 */
export function SchemaTab({ object }: { object: HeedyObject }) {
  const client = useClient();
  const current = (object.meta.schema ?? {}) as JsonSchema;
  const [version, setVersion] = useState(0);
  const [draft, setDraft] = useState<SchemaDraft>({ ok: true, schema: current });
  const [report, setReport] = useState<SchemaCheckReport | null>(null);
  const [checking, setChecking] = useState(false);
  const save = useSaveSchema(object);
  const canEdit = canUpdateFields(scopeSet(object.access), ["meta"]);
  const reportRef = useRef<HTMLDivElement>(null);

  const dirty = draft.ok && canonicalJson(draft.schema) !== canonicalJson(current);
  // The object's other tabs keep this editor mounted, so only leaving the object loses the draft.
  useLeaveGuard(dirty || !draft.ok ? "The schema has unsaved changes; leaving discards them." : null, {
    within: `/objects/${encodeURIComponent(object.id)}`,
  });

  // A save held back by the stored-data check is only visible through its report, which can be
  // below the fold of a long schema: bring it into view and to the keyboard.
  useEffect(() => {
    if (!report || report.failed === 0) return;
    reportRef.current?.scrollIntoView({ block: "center", behavior: "smooth" });
    reportRef.current?.focus({ preventScroll: true });
  }, [report]);

  // The editor starts from this: the stored schema, or an inferred proposal.
  const [initial, setInitial] = useState<JsonSchema>(current);
  const [inferN, setInferN] = useState(INFER_DEFAULT);
  const [inferring, setInferring] = useState(false);
  const [inferNote, setInferNote] = useState<string | null>(null);
  const inferId = useId();

  if (object.type !== "timeseries") {
    return <p className="empty-state">Only timeseries objects have a datapoint schema.</p>;
  }

  const infer = async () => {
    setInferring(true);
    setInferNote(null);
    try {
      const points = await new Timeseries(client, object).query({ i1: -Math.max(1, inferN) });
      if (points.length === 0) {
        setInferNote("The series has no points to learn from yet.");
        return;
      }
      const proposal = inferSchema(points.map((p) => p.d));
      setInitial(proposal);
      setDraft({ ok: true, schema: proposal });
      setReport(null);
      setVersion((v) => v + 1);
      setInferNote(
        `Proposed from the last ${points.length.toLocaleString()} points. Edit it, then save: the stored data is checked first.`,
      );
    } catch (err) {
      reportError(err);
    } finally {
      setInferring(false);
    }
  };

  const doSave = (schema: JsonSchema) =>
    save.mutate(schema, {
      onSuccess: () => {
        notifySuccess("Schema saved");
        setDraft({ ok: true, schema });
        setInitial(schema);
        setInferNote(null);
        setVersion((v) => v + 1);
      },
    });

  const checkAndSave = async () => {
    if (!draft.ok) return;
    setChecking(true);
    setReport(null);
    save.reset();
    try {
      const result = await checkExistingData(client, object, draft.schema);
      setReport(result);
      if (result.failed === 0) doSave(draft.schema);
    } catch (err) {
      reportError(err);
    } finally {
      setChecking(false);
    }
  };

  return (
    <div className="schema-tab">
      <p className="muted">
        Every new datapoint must match this JSON Schema; the server refuses the rest. An empty schema{" "}
        <code>{"{}"}</code> accepts anything.
      </p>
      {!canEdit && (
        <p className="notice warning">This app cannot update this object, so the schema is read-only.</p>
      )}
      {canEdit && Object.keys(current).length === 0 && (
        <div className="infer-schema">
          <label htmlFor={inferId}>Infer a schema from the last</label>
          <input
            id={inferId}
            type="number"
            min={1}
            max={100000}
            value={inferN}
            onChange={(e) => setInferN(Number(e.target.value) || INFER_DEFAULT)}
          />
          <span>points</span>
          <button type="button" className="button" disabled={inferring} onClick={() => void infer()}>
            {inferring ? "Reading…" : "Infer schema"}
          </button>
          {inferNote && (
            <p className="hint" role="status">
              {inferNote}
            </p>
          )}
        </div>
      )}
      <SchemaEditor
        key={`${object.id}:${version}`}
        initial={initial}
        disabled={!canEdit}
        onChange={(d) => {
          setDraft(d);
          setReport(null);
          save.reset();
        }}
      />
      <div className="form-actions sticky-actions">
        <button
          type="button"
          className="button primary"
          disabled={!canEdit || !dirty || checking || save.isPending}
          onClick={checkAndSave}
        >
          {checking ? "Checking data…" : save.isPending ? "Saving…" : "Save schema"}
        </button>
        <button
          type="button"
          className="button subtle"
          disabled={!dirty && draft.ok}
          onClick={() => {
            setDraft({ ok: true, schema: current });
            setInitial(current);
            setInferNote(null);
            setReport(null);
            setVersion((v) => v + 1);
          }}
        >
          Discard changes
        </button>
        <span className="form-status" role="status">
          {!draft.ok
            ? draft.checking
              ? "Checking the schema…"
              : `Not saveable: ${draft.message}`
            : dirty
              ? "Unsaved changes"
              : "Saved"}
        </span>
      </div>
      {report && (
        <div
          ref={reportRef}
          tabIndex={-1}
          className={`notice ${report.failed > 0 ? "warning" : "success"}`}
          role="status"
          data-testid="schema-check-report"
        >
          <span>{reportText(report)}</span>
          {report.failed > 0 && (
            <>
              <ul className="examples">
                {report.examples.map((e) => (
                  <li key={e.point.t}>
                    <code>{JSON.stringify(e.point.d)}</code> at {new Date(e.point.t * 1000).toLocaleString()}:{" "}
                    {e.reason}
                  </li>
                ))}
              </ul>
              <p>Stored points stay as they are; only new ones are checked against the schema.</p>
              <button
                type="button"
                className="button danger"
                disabled={save.isPending || !draft.ok}
                onClick={() => draft.ok && doSave(draft.schema)}
              >
                Save anyway
              </button>
            </>
          )}
        </div>
      )}
      {save.isError && (
        <div className="notice error" role="alert">
          <strong>The server refused the schema</strong>
          <ErrorMessage error={save.error} />
        </div>
      )}
    </div>
  );
}
