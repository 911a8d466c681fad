/**
 * The regular-expression engine user schemas run on: RE2 (re2js), whose matching time is linear in
 * the input, so a `pattern` such as `^(a+)+$` cannot stall the event loop (or the browser worker).
 * heedy itself validates with gojsonschema on Go's regexp, which is RE2 too, so the accepted syntax
 * and the verdicts (e.g. `\s` is ASCII whitespace) match heedy's rather than ECMAScript's.
 */
import { RE2JS } from "re2js";

/**
 * RE2 program size (instructions) a pattern may compile to. Matching costs up to size × input
 * length when the lazy DFA gives up, so this keeps the constant sane; `[\s\S]{1000}` is ~1,000.
 */
export const MAX_PATTERN_PROGRAM = 10_000;
/** Longest string the `regex` format compiles: a data value, not a schema, so this bounds the work. */
export const MAX_REGEX_FORMAT_LENGTH = 4096;

/** A pattern the linear-time engine cannot run; the message names the pattern and the reason. */
export class UnsupportedPatternError extends Error {
  constructor(
    readonly pattern: string,
    readonly reason: string,
  ) {
    super(`pattern ${JSON.stringify(pattern)} is not supported: ${reason}`);
    this.name = "UnsupportedPatternError";
  }
}

const LINEAR_ONLY = "patterns run on a linear-time engine (RE2 syntax)";

/** Names the backtracking-only construct of `pattern`, if any (RE2's own message is cryptic for these). */
function backtrackingConstruct(pattern: string): string | undefined {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      const next = pattern[i + 1] ?? "";
      if (/[1-9]/.test(next) || (next === "k" && pattern[i + 2] === "<")) {
        return `backreferences (\\1, \\k<name>) are not available; ${LINEAR_ONLY}`;
      }
      i++;
    } else if (c === "(" && pattern[i + 1] === "?") {
      const kind = pattern.slice(i + 2, i + 4);
      if (kind[0] === "=" || kind[0] === "!") return `lookahead (?= and (?! is not available; ${LINEAR_ONLY}`;
      if (kind === "<=" || kind === "<!") return `lookbehind (?<= and (?<! is not available; ${LINEAR_ONLY}`;
    }
  }
  return undefined;
}

function compileRe2(pattern: string): RE2JS {
  const construct = backtrackingConstruct(pattern);
  if (construct !== undefined) throw new UnsupportedPatternError(pattern, construct);
  let re: RE2JS;
  try {
    re = RE2JS.compile(RE2JS.translateRegExp(pattern));
  } catch (e) {
    const detail = (e as Error).message.replace(/^error parsing regexp: /, "");
    const hint = /repeat count/.test(detail) ? " (repetition counts are limited to 1000)" : "";
    throw new UnsupportedPatternError(pattern, `${detail}${hint}; ${LINEAR_ONLY}`);
  }
  if (re.programSize() > MAX_PATTERN_PROGRAM) {
    throw new UnsupportedPatternError(
      pattern,
      `it compiles to ${re.programSize()} instructions; at most ${MAX_PATTERN_PROGRAM} are allowed`,
    );
  }
  return re;
}

/** Why `pattern` cannot be used in a schema, or undefined when it can. */
export function patternProblem(pattern: string): string | undefined {
  try {
    compileRe2(pattern);
    return undefined;
  } catch (e) {
    if (e instanceof UnsupportedPatternError) return e.message;
    throw e;
  }
}

interface RegExpLike {
  test(s: string): boolean;
  toString(): string;
}

/**
 * ajv's `code.regExp` engine: ajv calls it as `regExp(pattern, flags)` while compiling `pattern` and
 * `patternProperties`, keys compiled regexps by `toString()`, and only calls `test`. The `u` flag it
 * passes needs no mapping, RE2 always works on code points. Throws UnsupportedPatternError, which
 * makes ajv's compile fail with that message.
 */
export const safeRegExp = Object.assign(
  (pattern: string, _flags: string): RegExpLike => {
    const re = compileRe2(pattern);
    return { test: (s: string) => re.test(s), toString: () => `/${pattern}/re2` };
  },
  // Only read when ajv generates standalone code, which we never do; any value but "new RegExp".
  { code: "re2js" },
);

/** The `regex` format: a string is a regex when this engine can run it (gojsonschema: Go's regexp). */
export function isSupportedRegex(s: string): boolean {
  if (s.length > MAX_REGEX_FORMAT_LENGTH) return false;
  return patternProblem(s) === undefined;
}
