import { describe, expect, it } from "vitest";
import { isSupportedRegex, MAX_PATTERN_PROGRAM, patternProblem, safeRegExp } from "./safe-regex.js";

describe("safeRegExp (ajv's code.regExp engine)", () => {
  it("matches like a search, as ajv's pattern keyword expects", () => {
    expect(safeRegExp("b+", "u").test("abbc")).toBe(true);
    expect(safeRegExp("^b+$", "u").test("abbc")).toBe(false);
    expect(safeRegExp("^\\d{3}-\\d{4}$", "u").test("555-1234")).toBe(true);
    expect(safeRegExp("^\\u0041(?<n>b)$", "u").test("Ab")).toBe(true);
    expect(safeRegExp("^\\p{L}+$", "u").test("héllo")).toBe(true);
  });

  it("keys compiled patterns by their source", () => {
    expect(String(safeRegExp("a|b", "u"))).toBe(String(safeRegExp("a|b", "u")));
    expect(String(safeRegExp("a|b", "u"))).not.toBe(String(safeRegExp("a|c", "u")));
  });

  it("runs catastrophic-backtracking patterns in linear time", () => {
    const started = performance.now();
    expect(safeRegExp("^(a+)+$", "u").test(`${"a".repeat(100_000)}!`)).toBe(false);
    expect(safeRegExp("^(a|aa)+$", "u").test(`${"a".repeat(100_000)}!`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe("patternProblem", () => {
  it("accepts what RE2 runs", () => {
    for (const p of ["^[a-z]+$", "\\w+@\\w+", "(?:ab)*", "[^]", "a{2,5}", "^(a+)+$"]) {
      expect(patternProblem(p), p).toBeUndefined();
    }
  });

  it("names backtracking-only constructs", () => {
    expect(patternProblem("(a)\\1")).toBe(
      'pattern "(a)\\\\1" is not supported: backreferences (\\1, \\k<name>) are not available; patterns run on a linear-time engine (RE2 syntax)',
    );
    expect(patternProblem("(?<x>a)\\k<x>")).toMatch(/backreferences/);
    expect(patternProblem("a(?=b)")).toMatch(/lookahead/);
    expect(patternProblem("a(?!b)")).toMatch(/lookahead/);
    expect(patternProblem("(?<=b)a")).toMatch(/lookbehind/);
    expect(patternProblem("(?<!b)a")).toMatch(/lookbehind/);
    // Escaped, they are plain characters.
    expect(patternProblem("\\(\\?=")).toBeUndefined();
  });

  it("explains RE2's repetition limit and a too-large program", () => {
    expect(patternProblem("a{1001}")).toMatch(/invalid repeat count.*limited to 1000/);
    expect(patternProblem("(a{1000}){1000}")).toMatch(/limited to 1000/);
    expect(
      patternProblem(
        "[\\s\\S]{1000}[\\s\\S]{1000}[\\s\\S]{1000}[\\s\\S]{1000}[\\s\\S]{1000}[\\s\\S]{1000}[\\s\\S]{1000}[\\s\\S]{1000}[\\s\\S]{1000}[\\s\\S]{1000}[\\s\\S]{1000}",
      ),
    ).toMatch(new RegExp(`at most ${MAX_PATTERN_PROGRAM} are allowed`));
    expect(patternProblem("(")).toMatch(/^pattern "\(" is not supported: missing closing \)/);
  });
});

describe("isSupportedRegex (the regex format)", () => {
  it("is true for patterns the engine runs, false otherwise", () => {
    expect(isSupportedRegex("^a+$")).toBe(true);
    expect(isSupportedRegex("(a)\\1")).toBe(false);
    expect(isSupportedRegex("(")).toBe(false);
    expect(isSupportedRegex("a".repeat(5000))).toBe(false);
  });
});
