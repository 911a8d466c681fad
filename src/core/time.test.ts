import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseGoFloat, parseTime } from "./time.js";

// Tests run with TZ=UTC (vitest.config.ts), so calendar arithmetic is in UTC here.
const NOW = new Date("2024-05-01T12:00:00.000Z");
const nowS = NOW.getTime() / 1000;

function errorOf(value: string): string {
  try {
    parseTime(value, NOW);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`expected ${value} to fail`);
}

describe("parseTime: numbers (8.4 step 1)", () => {
  it("parses Go float syntax", () => {
    expect(parseTime("1714557600.123456")).toBe(1714557600.123456);
    expect(parseTime("-5")).toBe(-5);
    expect(parseTime("+5")).toBe(5);
    expect(parseTime("1e9")).toBe(1e9);
    expect(parseTime("1.")).toBe(1);
    expect(parseTime(".5")).toBe(0.5);
    expect(parseTime("Inf")).toBe(Number.POSITIVE_INFINITY);
    expect(parseTime("-infinity")).toBe(Number.NEGATIVE_INFINITY);
    expect(parseTime("NaN")).toBeNaN();
    expect(parseTime("0x1p4")).toBe(16);
    expect(parseTime("0x1.8p1")).toBe(3);
    expect(parseTime("-0x.8p0")).toBe(-0.5);
  });
  it("refuses what Go's ParseFloat refuses", () => {
    for (const s of ["", " 5", "5 ", "1e400", "0x10", "1_000", "e5", "."]) {
      expect(parseGoFloat(s)).toBeUndefined();
    }
  });
  it("round-trips every finite double printed by JS", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(Object.is(parseTime(String(x)), x) || (x === 0 && parseTime(String(x)) === 0)).toBe(true);
      }),
    );
  });
});

describe("parseTime: now offsets (8.4 step 2)", () => {
  it("handles the contract's examples", () => {
    expect(parseTime("now", NOW)).toBe(nowS);
    expect(parseTime("now-1h", NOW)).toBe(nowS - 3600);
    expect(parseTime("now-2d", NOW)).toBe(nowS - 2 * 86400);
    expect(parseTime("now-1w", NOW)).toBe(nowS - 7 * 86400);
    expect(parseTime("now-10s", NOW)).toBe(nowS - 10);
    expect(parseTime("now+1h", NOW)).toBe(nowS + 3600);
    expect(parseTime("now-1h30m", NOW)).toBe(nowS - 5400);
    expect(parseTime("now-1h+30m", NOW)).toBe(nowS - 1800);
    expect(parseTime("now-1.5d", NOW)).toBe(nowS - 1.5 * 86400);
    expect(parseTime("now-500ms", NOW)).toBeCloseTo(nowS - 0.5, 6);
    expect(parseTime("now-.5h", NOW)).toBe(nowS - 1800);
    expect(parseTime("now-1.h", NOW)).toBe(nowS - 3600);
    // heedy's looser parser: missing digits count as 0 (8.4).
    expect(parseTime("now-h", NOW)).toBe(nowS);
  });
  it("parses each term on its own (12.14: heedy mis-parsed now-1.5h2m)", () => {
    expect(parseTime("now-1.5h2m", NOW)).toBe(nowS - 5400 - 120);
  });
  it("distinguishes m (minutes) from mo (months), with calendar months and years", () => {
    expect(parseTime("now-1m", NOW)).toBe(nowS - 60);
    expect(parseTime("now-1mo", NOW)).toBe(Date.UTC(2024, 3, 1, 12) / 1000);
    expect(parseTime("now-2months", NOW)).toBe(Date.UTC(2024, 2, 1, 12) / 1000);
    expect(parseTime("now-1y", NOW)).toBe(Date.UTC(2023, 4, 1, 12) / 1000);
    expect(parseTime("now+1yr", NOW)).toBe(Date.UTC(2025, 4, 1, 12) / 1000);
    // 1.5 years = 1 year + 6 months; 1.5 months = 1 month + 15 days.
    expect(parseTime("now-1.5y", NOW)).toBe(Date.UTC(2022, 10, 1, 12) / 1000);
    expect(parseTime("now-1.5mo", NOW)).toBe(Date.UTC(2024, 3, 1 - 15, 12) / 1000);
    // Go's AddDate normalises like JS Date: Mar 31 - 1 month = "Feb 31" = Mar 2 (2024).
    expect(parseTime("now-1mo", new Date("2024-03-31T00:00:00Z"))).toBe(Date.UTC(2024, 2, 2) / 1000);
  });
  it("reports malformed offsets with heedy's messages naming the bad part", () => {
    expect(errorOf("now-1")).toBe('missing unit in duration: "-1"');
    expect(errorOf("now-1h2")).toBe('missing unit in duration: "2"');
    expect(errorOf("now-1 h")).toBe('unknown unit in duration: " h"');
    expect(errorOf("now+1x")).toBe('unknown unit in duration: "x"');
    expect(errorOf("now 1h")).toBe('unknown unit in duration: " "');
    expect(errorOf("now-1H")).toBe('unknown unit in duration: "H"');
    expect(errorOf("now-")).toBe("cannot parse sign without digits: '-'");
    expect(errorOf("now-1h+")).toBe("cannot parse sign without digits: '+'");
    expect(errorOf("now-1.5.5h")).toBe("invalid floating point number format: two decimal points found");
  });
  it("adds random fixed-unit term sequences exactly like their sum", () => {
    const unit = fc.constantFrom(
      ["s", 1],
      ["sec", 1],
      ["m", 60],
      ["minutes", 60],
      ["h", 3600],
      ["hr", 3600],
      ["d", 86400],
      ["w", 604800],
      ["wk", 604800],
    );
    const term = fc.record({
      sign: fc.constantFrom("", "+", "-"),
      n: fc.integer({ min: 0, max: 999 }),
      unit,
    });
    fc.assert(
      fc.property(fc.array(term, { maxLength: 6 }), (terms) => {
        let negative = false;
        let sum = 0;
        let text = "now";
        for (const t of terms) {
          if (t.sign !== "") negative = t.sign === "-";
          sum += (negative ? -1 : 1) * t.n * (t.unit[1] as number);
          text += `${t.sign}${t.n}${t.unit[0]}`;
        }
        expect(parseTime(text, NOW)).toBeCloseTo(nowS + sum, 3);
      }),
    );
  });
});

describe("parseTime: RFC 3339 (8.4 step 3-4)", () => {
  it("parses timestamps with offsets and fractions", () => {
    expect(parseTime("2020-03-21T12:00:00Z")).toBe(Date.UTC(2020, 2, 21, 12) / 1000);
    expect(parseTime("2020-03-21T12:00:00+02:00")).toBe(Date.UTC(2020, 2, 21, 10) / 1000);
    expect(parseTime("2020-03-21T12:00:00.25-01:30")).toBe(Date.UTC(2020, 2, 21, 13, 30) / 1000 + 0.25);
  });
  it("gives Go's time-parse messages", () => {
    expect(errorOf("foo")).toBe(
      'parsing time "foo" as "2006-01-02T15:04:05Z07:00": cannot parse "foo" as "2006"',
    );
    expect(errorOf("2020-03-21")).toBe(
      'parsing time "2020-03-21" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T"',
    );
    expect(errorOf("2020-13-01T00:00:00Z")).toBe('parsing time "2020-13-01T00:00:00Z": month out of range');
    expect(errorOf("2021-02-29T00:00:00Z")).toBe('parsing time "2021-02-29T00:00:00Z": day out of range');
    expect(errorOf("2020-03-21T12:00:00Zjunk")).toBe(
      'parsing time "2020-03-21T12:00:00Zjunk": extra text: "junk"',
    );
    expect(errorOf("NOW")).toBe(
      'parsing time "NOW" as "2006-01-02T15:04:05Z07:00": cannot parse "NOW" as "2006"',
    );
  });
  it("round-trips random instants through toISOString", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4102444800000 }), (ms) => {
        expect(parseTime(new Date(ms).toISOString())).toBeCloseTo(ms / 1000, 6);
      }),
    );
  });
});

describe("parseTime fuzz", () => {
  const KNOWN =
    /^(unknown unit in duration: |missing unit in duration: |cannot parse sign without digits: |invalid floating point number format: |parsing time )/;
  it("either returns a number or throws a heedy message, for arbitrary strings", () => {
    const alphabet = fc.constantFrom(..."now+-.0123456789hmsdwoy: TZµ".split(""));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: alphabet })), (s) => {
        try {
          expect(typeof parseTime(s, NOW)).toBe("number");
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
          expect((e as Error).message).toMatch(KNOWN);
        }
      }),
      { numRuns: 2000 },
    );
  });
  it("fails every now-expression that ends in a number", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^now([+-]?\d{1,3}(h|m|s|d))*[+-]?\d{1,4}$/), (s) => {
        expect(() => parseTime(s, NOW)).toThrow(/missing unit in duration/);
      }),
    );
  });
});
