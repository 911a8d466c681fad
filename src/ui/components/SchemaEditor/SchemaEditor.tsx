/**
 * Edits `meta.schema` through two views kept in sync: the visual form and the raw JSON. Editing one
 * rewrites the other at once. The JSON is checked against the JSON Schema meta-schema (the same
 * ajv code the server uses, core/schema.ts) as you type, and an error is shown at its line.
 */
import { useId, useRef, useState } from "react";
import { browserValidationAvailable, checkSchemaInBrowser, UNAVAILABLE_NOTE } from "../../browser-validation";
import { parseWithPositions } from "./json-locate";
import { schemaToVisual, type VisualNode, visualProblems, visualToSchema } from "./model";
import { NodeEditor } from "./VisualEditor";
import "./schema-editor.css";

export type SchemaDraft = { ok: true; schema: Record<string, unknown> } | { ok: false; message: string };

interface JsonProblem {
  line: number;
  column: number;
  message: string;
}

interface EditorState {
  node: VisualNode;
  text: string;
  /** Problem of the JSON text; the visual view is read-only while there is one. */
  problem: JsonProblem | null;
  /** True when the text is not even JSON, so the visual view cannot follow it. */
  syntaxError: boolean;
}

export function prettySchema(schema: unknown): string {
  return JSON.stringify(schema, null, 2);
}

/** Checks JSON text as a timeseries schema; returns the schema or the problem at its line. */
export function checkSchemaText(
  text: string,
): { ok: true; schema: Record<string, unknown> } | { ok: false; problem: JsonProblem; syntax: boolean } {
  const parsed = parseWithPositions(text);
  if (!parsed.ok) {
    return { ok: false, syntax: true, problem: { ...parsed.position, message: parsed.message } };
  }
  const value = parsed.value;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    // 8.1: booleans pass the meta-schema but break every timeseries request, so only objects here.
    return {
      ok: false,
      syntax: false,
      problem: { line: 1, column: 1, message: "A timeseries schema must be a JSON object, e.g. {}" },
    };
  }
  const problem = checkSchemaInBrowser(value);
  if (problem && problem !== "unavailable") {
    const at = parsed.locate(problem.path);
    const where = problem.path ? `${problem.path}: ` : "";
    return { ok: false, syntax: false, problem: { ...at, message: `${where}${problem.message}` } };
  }
  return { ok: true, schema: value as Record<string, unknown> };
}

function draftOf(state: EditorState): SchemaDraft {
  if (state.problem) return { ok: false, message: `Line ${state.problem.line}: ${state.problem.message}` };
  const problems = visualProblems(state.node);
  if (problems.length > 0) return { ok: false, message: problems[0]!.message };
  const checked = checkSchemaText(state.text);
  return checked.ok ? { ok: true, schema: checked.schema } : { ok: false, message: checked.problem.message };
}

export interface SchemaEditorProps {
  /** The schema to start from; remount (change `key`) to start over. */
  initial: unknown;
  onChange(draft: SchemaDraft): void;
  disabled?: boolean;
}

export function SchemaEditor({ initial, onChange, disabled }: SchemaEditorProps) {
  const id = useId();
  const [state, setState] = useState<EditorState>(() => {
    const text = prettySchema(initial ?? {});
    const checked = checkSchemaText(text);
    return {
      node: schemaToVisual(initial ?? {}),
      text,
      problem: checked.ok ? null : checked.problem,
      syntaxError: false,
    };
  });
  const gutter = useRef<HTMLDivElement>(null);

  const apply = (next: EditorState) => {
    setState(next);
    onChange(draftOf(next));
  };

  const onVisual = (node: VisualNode) => {
    const text = prettySchema(visualToSchema(node));
    const checked = checkSchemaText(text);
    apply({ node, text, problem: checked.ok ? null : checked.problem, syntaxError: false });
  };

  const onText = (text: string) => {
    const checked = checkSchemaText(text);
    if (checked.ok) {
      apply({ node: schemaToVisual(checked.schema), text, problem: null, syntaxError: false });
    } else if (checked.syntax) {
      apply({ ...state, text, problem: checked.problem, syntaxError: true });
    } else {
      // Valid JSON with a schema problem: the visual view still follows what it can show.
      let node = state.node;
      try {
        node = schemaToVisual(JSON.parse(text));
      } catch {
        // Unreachable: the text parsed above.
      }
      apply({ node, text, problem: checked.problem, syntaxError: false });
    }
  };

  const lines = state.text.split("\n").length;
  const visualProblemsList = visualProblems(state.node);
  const errorId = `${id}-json-error`;

  return (
    <div className="schema-editor">
      <section className="schema-pane" aria-labelledby={`${id}-visual-title`}>
        <h3 id={`${id}-visual-title`}>Visual</h3>
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
        <h3 id={`${id}-json-title`}>JSON</h3>
        <div className={`code-editor${state.problem ? " has-error" : ""}`}>
          <div className="gutter" ref={gutter} aria-hidden="true">
            {Array.from({ length: lines }, (_, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: line numbers are positions.
              <div key={i} className={state.problem?.line === i + 1 ? "gutter-line error" : "gutter-line"}>
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
            aria-invalid={state.problem ? true : undefined}
            aria-describedby={state.problem ? errorId : undefined}
            onScroll={(e) => {
              if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
            }}
            onChange={(e) => onText(e.target.value)}
          />
        </div>
        {state.problem ? (
          <p id={errorId} className="field-error" role="alert">
            Line {state.problem.line}, column {state.problem.column}: {state.problem.message}
          </p>
        ) : browserValidationAvailable() ? (
          <p className="hint ok-line">Valid JSON Schema.</p>
        ) : (
          <p className="hint">Valid JSON. {UNAVAILABLE_NOTE}</p>
        )}
      </section>
    </div>
  );
}
