/**
 * A schema typed as JSON text: parsed with positions, then checked against the meta-schema (in the
 * schema worker), with any problem placed at its line. The schema editor and the new-object dialog
 * both read schemas this way.
 */
import { parseWithPositions } from "./json-locate";
import { checkSchema } from "./schema-checks";

export interface JsonProblem {
  line: number;
  column: number;
  message: string;
}

export type ParsedSchemaText =
  | { ok: true; schema: Record<string, unknown>; locate(pointer: string): { line: number; column: number } }
  | { ok: false; problem: JsonProblem; syntax: boolean };

/** Reads JSON text as a timeseries schema (an object), without the meta-schema check. */
export function parseSchemaText(text: string): ParsedSchemaText {
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
  return { ok: true, schema: value as Record<string, unknown>, locate: parsed.locate };
}

/** The meta-schema check of a parsed schema, placed at the line its JSON pointer names. */
export async function metaProblem(
  parsed: Extract<ParsedSchemaText, { ok: true }>,
): Promise<JsonProblem | null> {
  let problem: Awaited<ReturnType<typeof checkSchema>>;
  try {
    problem = await checkSchema(parsed.schema);
  } catch (err) {
    return { line: 1, column: 1, message: `The schema could not be checked: ${(err as Error).message}` };
  }
  if (!problem) return null;
  const where = problem.path ? `${problem.path}: ` : "";
  return { ...parsed.locate(problem.path), message: `${where}${problem.message}` };
}

/** Checks JSON text as a timeseries schema; resolves to the schema or the problem at its line. */
export async function checkSchemaText(
  text: string,
): Promise<
  { ok: true; schema: Record<string, unknown> } | { ok: false; problem: JsonProblem; syntax: boolean }
> {
  const parsed = parseSchemaText(text);
  if (!parsed.ok) return parsed;
  const problem = await metaProblem(parsed);
  return problem ? { ok: false, syntax: false, problem } : { ok: true, schema: parsed.schema };
}
