import { describe, expect, it } from "vitest";
import { nowSeconds, parseDateString, queryTime } from "./times.js";

// vitest.config.ts runs tests with TZ=UTC, so local time equals UTC here.
const NOW = new Date("2024-05-01T12:00:00Z");
const NOW_S = NOW.getTime() / 1000;

describe("queryTime", () => {
  it("sends numbers unchanged (unix seconds)", () => {
    expect(queryTime(1714557600)).toBe(1714557600);
    expect(queryTime(1714557600.123456)).toBe(1714557600.123456);
  });

  it("converts Dates to unix seconds", () => {
    expect(queryTime(new Date("2024-05-01T10:00:00.250Z"))).toBe(1714557600.25);
  });

  it("sends now… strings unchanged so the server evaluates them", () => {
    expect(queryTime("now")).toBe("now");
    expect(queryTime("now-1h")).toBe("now-1h");
    expect(queryTime("  now-1h30m ")).toBe("now-1h30m");
  });

  it("converts the strings it understands to unix seconds", () => {
    expect(queryTime("2024-05-01T10:00:00Z", NOW)).toBe(1714557600);
    expect(queryTime("1 hour ago", NOW)).toBe(NOW_S - 3600);
    expect(queryTime("1714557600")).toBe(1714557600);
  });

  it("sends strings it does not understand unchanged (the server then decides)", () => {
    expect(queryTime("last full moon", NOW)).toBe("last full moon");
  });

  it("refuses values no server could use", () => {
    expect(() => queryTime(Number.NaN)).toThrow(TypeError);
    expect(() => queryTime(Number.POSITIVE_INFINITY)).toThrow(TypeError);
    expect(() => queryTime(new Date("nope"))).toThrow(TypeError);
  });
});

describe("parseDateString", () => {
  it.each([
    ["1714557600", 1714557600],
    ["1714557600.5", 1714557600.5],
    ["1e9", 1e9],
    ["-5", -5],
  ])("reads the number %s", (text, expected) => {
    expect(parseDateString(text, NOW)).toBe(expected);
  });

  it.each([
    ["2024-05-01T10:00:00Z", 1714557600],
    ["2024-05-01T10:00:00z", 1714557600],
    ["2024-05-01T12:00:00+02:00", 1714557600],
    ["2024-05-01T12:00:00+0200", 1714557600],
    ["2024-05-01T12:00:00+02", 1714557600],
    ["2024-05-01T05:30:00-04:30", 1714557600],
    ["2024-05-01T10:00:00.123Z", 1714557600.123],
    ["2024-05-01T10:00:00,5Z", 1714557600.5],
    ["2024-05-01T10:00Z", 1714557600],
    // No zone: local time (UTC in this suite), like Python's dateparser.
    ["2024-05-01T10:00:00", 1714557600],
    ["2024-05-01 10:00:00", 1714557600],
    ["2024-05-01T10:00", 1714557600],
    ["2024-05-01", 1714521600],
    ["2024-02-29", 1709164800],
  ])("reads the ISO date %s", (text, expected) => {
    expect(parseDateString(text, NOW)).toBeCloseTo(expected, 6);
  });

  it.each([
    "2024-02-30",
    "2023-02-29",
    "2024-13-01",
    "2024-05-01T24:00:00Z",
    "2024-05-01T10:60Z",
    "2024-5-1",
  ])("does not read the impossible or non-ISO date %s", (text) => {
    expect(parseDateString(text, NOW)).toBeUndefined();
  });

  it.each([
    ["5 minutes ago", NOW_S - 300],
    ["1 hour ago", NOW_S - 3600],
    ["an hour ago", NOW_S - 3600],
    ["a day ago", NOW_S - 86400],
    ["1 hour 30 minutes ago", NOW_S - 5400],
    ["2 days, 3 hours ago", NOW_S - 2 * 86400 - 3 * 3600],
    ["1 hour and 30 min ago", NOW_S - 5400],
    ["1.5 hours ago", NOW_S - 5400],
    ["10 secs ago", NOW_S - 10],
    ["3 hrs ago", NOW_S - 3 * 3600],
    ["2 wks ago", NOW_S - 14 * 86400],
    ["1 week ago", NOW_S - 7 * 86400],
    ["30s ago", NOW_S - 30],
    ["in 10 minutes", NOW_S + 600],
    ["In 2 Hours", NOW_S + 7200],
    ["today", NOW_S],
    ["yesterday", NOW_S - 86400],
    ["tomorrow", NOW_S + 86400],
    // Calendar arithmetic, as the server's now-1mo / now-1y.
    ["1 month ago", new Date("2024-04-01T12:00:00Z").getTime() / 1000],
    ["2 years ago", new Date("2022-05-01T12:00:00Z").getTime() / 1000],
  ])("reads the phrase %s", (text, expected) => {
    expect(parseDateString(text, NOW)).toBeCloseTo(expected, 6);
  });

  it.each([
    "5 fortnights ago",
    "5ms ago",
    "ago",
    "soon ago",
    "half an hour ago",
    "next tuesday",
    "1 hour",
    "in",
    "now-1h",
    "",
  ])("leaves %j to the server", (text) => {
    expect(parseDateString(text, NOW)).toBeUndefined();
  });
});

describe("nowSeconds", () => {
  it("is the wall clock in seconds with sub-second precision", () => {
    const before = Date.now() / 1000;
    const t = nowSeconds();
    const after = Date.now() / 1000;
    expect(t).toBeGreaterThanOrEqual(before - 0.001);
    expect(t).toBeLessThanOrEqual(after + 0.001);
  });

  it("strictly increases between calls, so quick appends never share a timestamp", () => {
    const values = Array.from({ length: 1000 }, () => nowSeconds());
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeGreaterThan(values[i - 1]!);
  });
});
