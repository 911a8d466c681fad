/**
 * Edits `meta.schema` through two views kept in sync: the visual form and the raw JSON. Editing one
 * rewrites the other at once. The JSON is checked against the JSON Schema meta-schema (the same
 * ajv code the server uses, core/schema.ts, run in the schema worker) shortly after you stop
 * typing, and an error is shown at its line.
 */
import { useEffect, useId, useRef, useState } from "react";
import { type JsonProblem, metaProblem, parseSchemaText } from "../../../../shared/schema/schema-text";
import {
  schemaToVisual,
  type VisualNode,
  visualProblems,
  visualToSchema,
} from "../../../../shared/schema/visual-schema";
import { NodeEditor } from "./NodeEditor";
import "./schema-editor.css";

export type SchemaDraft =
  | { ok: true; schema: Record<string, unknown> }
  | { ok: false; message: string /** The meta-schema check has not answered yet. */; checking?: boolean };

interface EditorState {
  node: VisualNode;
  text: string;
  /** Syntax or shape problem of the JSON text; the visual view is read-only while there is one. */
  problem: JsonProblem | null;
  /** True when the text is not even JSON, so the visual view cannot follow it. */
  syntaxError: boolean;
}

/** The meta-schema verdict for one text. */
interface MetaCheck {
  text: string;
  problem: JsonProblem | null;
}

/** Pause after the last keystroke before the meta-schema check runs. */
export const CHECK_DELAY_MS = 200;

export function prettySchema(schema: unknown): string {
  return JSON.stringify(schema, null, 2);
}

/** The draft for the parent: `meta` is the meta-schema verdict of this text, undefined while pending. */
function draftOf(state: EditorState, meta: MetaCheck | undefined): SchemaDraft {
  if (state.problem) return { ok: false, message: `Line ${state.problem.line}: ${state.problem.message}` };
  const problems = visualProblems(state.node);
  if (problems.length > 0) return { ok: false, message: problems[0]!.message };
  if (!meta || meta.text !== state.text)
    return { ok: false, checking: true, message: "Checking the schema…" };
  if (meta.problem) return { ok: false, message: `Line ${meta.problem.line}: ${meta.problem.message}` };
  const parsed = parseSchemaText(state.text);
  return parsed.ok ? { ok: true, schema: parsed.schema } : { ok: false, message: parsed.problem.message };
}

export interface SchemaEditorProps {
  /** The schema to start from; remount (change `key`) to start over. */
  initial: unknown;
  /** Called after each edit, and again when the meta-schema check of the edit has answered. */
  onChange(draft: SchemaDraft): void;
  disabled?: boolean;
}

export function SchemaEditor({ initial, onChange, disabled }: SchemaEditorProps) {
  const id = useId();
  const [state, setState] = useState<EditorState>(() => {
    const text = prettySchema(initial ?? {});
    const parsed = parseSchemaText(text);
    return {
      node: schemaToVisual(initial ?? {}),
      text,
      problem: parsed.ok ? null : parsed.problem,
      syntaxError: false,
    };
  });
  const [meta, setMeta] = useState<MetaCheck | null>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const edited = useRef(false);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  // The meta-schema check runs in the schema worker once typing pauses; an answer for a text that
  // has changed since is dropped. The initial schema is checked at once, without telling the parent.
  useEffect(() => {
    if (state.problem) return;
    const parsed = parseSchemaText(state.text);
    if (!parsed.ok) return;
    let live = true;
    const timer = setTimeout(
      () => {
        void metaProblem(parsed).then((problem) => {
          if (!live) return;
          const verdict = { text: state.text, problem };
          setMeta(verdict);
          if (edited.current) onChangeRef.current(draftOf(state, verdict));
        });
      },
      edited.current ? CHECK_DELAY_MS : 0,
    );
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [state]);

  const apply = (next: EditorState) => {
    edited.current = true;
    setState(next);
    onChange(draftOf(next, meta ?? undefined));
  };

  const onVisual = (node: VisualNode) => {
    const text = prettySchema(visualToSchema(node));
    const parsed = parseSchemaText(text);
    apply({ node, text, problem: parsed.ok ? null : parsed.problem, syntaxError: false });
  };

  const onText = (text: string) => {
    const parsed = parseSchemaText(text);
    if (parsed.ok) {
      apply({ node: schemaToVisual(parsed.schema), text, problem: null, syntaxError: false });
    } else if (parsed.syntax) {
      apply({ ...state, text, problem: parsed.problem, syntaxError: true });
    } else {
      // Valid JSON but not an object: the visual view still follows what it can show.
      apply({ node: schemaToVisual(JSON.parse(text)), text, problem: parsed.problem, syntaxError: false });
    }
  };

  // While the check of the current text is pending, the last meta-schema error stays in place
  // (it usually still applies), so the message does not flicker on every keystroke.
  const checking = state.problem === null && meta?.text !== state.text;
  const problem = state.problem ?? meta?.problem ?? null;
  const lines = state.text.split("\n").length;
  const visualProblemsList = visualProblems(state.node);
  const errorId = `${id}-json-error`;

  return (
    <div className="schema-editor">
      <section className="schema-pane" aria-labelledby={`${id}-visual-title`}>
        <h2 id={`${id}-visual-title`} className="section-title">
          Visual
        </h2>
        {state.syntaxError && (
          <p className="notice warning" role="status">
            The JSON has a syntax error, so the visual view shows the last valid schema. Fix the JSON to
            continue here.
          </p>
        )}
        <fieldset className="plain" disabled={disabled || state.syntaxError}>
          <legend className="visually-hidden">Schema of each datapoint</legend>
          <NodeEditor node={state.node} onChange={onVisual} typeLabel="Data type" depth={0} />
        </fieldset>
        {visualProblemsList.length > 0 && (
          <ul className="field-errors" aria-live="polite">
            {visualProblemsList.map((p) => (
              <li key={`${p.path}:${p.message}`}>{p.message}</li>
            ))}
          </ul>
        )}
      </section>
      <section className="schema-pane" aria-labelledby={`${id}-json-title`}>
        <h2 id={`${id}-json-title`} className="section-title">
          JSON
        </h2>
        <div className={`code-editor${problem ? " has-error" : ""}`}>
          <div className="gutter" ref={gutter} aria-hidden="true">
            {Array.from({ length: lines }, (_, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: line numbers are positions.
              <div key={i} className={problem?.line === i + 1 ? "gutter-line error" : "gutter-line"}>
                {i + 1}
              </div>
            ))}
          </div>
          <textarea
            aria-label="Schema as JSON"
            value={state.text}
            wrap="off"
            spellCheck={false}
            autoCapitalize="off"
            autoCorrect="off"
            disabled={disabled}
            rows={Math.min(Math.max(lines + 1, 8), 28)}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? errorId : undefined}
            onScroll={(e) => {
              if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
            }}
            onChange={(e) => onText(e.target.value)}
          />
        </div>
        {problem ? (
          <p id={errorId} className="field-error" role="alert">
            Line {problem.line}, column {problem.column}: {problem.message}
          </p>
        ) : checking ? (
          <p className="hint" role="status">
            Checking against the JSON Schema meta-schema…
          </p>
        ) : (
          <p className="hint ok-line" role="status">
            Valid JSON Schema.
          </p>
        )}
      </section>
    </div>
  );
}
