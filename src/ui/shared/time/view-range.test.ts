import { describe, expect, it } from "vitest";
import {
  isRelative,
  parseRangeTime,
  presetOf,
  rangeFromSearch,
  rangeToSearch,
  resolveRange,
  zoomRange,
} from "./view-range";

const now = new Date("2024-05-01T12:00:00Z");

describe("ranges in the URL", () => {
  it("reads the three forms and defaults to the last 1,000 points", () => {
    expect(rangeFromSearch(new URLSearchParams(""))).toEqual({ kind: "points", count: 1000 });
    expect(rangeFromSearch(new URLSearchParams("range=all"))).toEqual({ kind: "all" });
    expect(rangeFromSearch(new URLSearchParams("from=now-6h&to=now"))).toEqual({
      kind: "time",
      from: "now-6h",
      to: "now",
    });
    expect(rangeFromSearch(new URLSearchParams("from=now-6h"))).toMatchObject({ to: "now" });
  });

  it("round-trips through the search parameters, keeping raw strings", () => {
    for (const r of [
      { kind: "points", count: 50 } as const,
      { kind: "all" } as const,
      { kind: "time", from: "now-1h30m", to: "now-5m" } as const,
    ]) {
      const search = new URLSearchParams();
      for (const [k, v] of Object.entries(rangeToSearch(r))) if (v) search.set(k, v);
      expect(rangeFromSearch(search)).toEqual(r);
    }
  });

  it("recognises presets", () => {
    expect(presetOf({ kind: "time", from: "now-6h", to: "now" })?.id).toBe("6h");
    expect(presetOf({ kind: "time", from: "now-5h", to: "now" })).toBeUndefined();
  });
});

describe("evaluating ranges", () => {
  it("evaluates relative strings at query time", () => {
    const r = resolveRange({ kind: "time", from: "now-1h30m", to: "now" }, now, "local");
    expect(r).toEqual({ t1: now.getTime() / 1000 - 5400, t2: now.getTime() / 1000 });
  });

  it("takes absolute dates, unix seconds and ISO strings", () => {
    expect(parseRangeTime("2024-05-01T00:00:00Z", now)).toBe(Date.UTC(2024, 4, 1) / 1000);
    expect(parseRangeTime("1714557600", now)).toBe(1714557600);
    expect(parseRangeTime("2 hours ago", now)).toBe(now.getTime() / 1000 - 7200);
  });

  it("refuses nonsense with advice", () => {
    expect(() => parseRangeTime("now-1", now)).toThrow(/now-6h/);
    expect(() => parseRangeTime("soon", now)).toThrow(/not a time/);
    expect(() => resolveRange({ kind: "time", from: "now", to: "now-1h" }, now, "local")).toThrow(/Swap/);
  });

  it("last N points is an index range", () => {
    expect(resolveRange({ kind: "points", count: 1000 }, now, "local")).toEqual({ i1: -1000 });
    expect(resolveRange({ kind: "all" }, now, "local")).toEqual({});
  });

  it("zoomed windows are absolute, so live refresh pauses", () => {
    const z = zoomRange(1714557600.5, 1714561200.25);
    expect(z).toEqual({ kind: "time", from: "2024-05-01T10:00:00.500Z", to: "2024-05-01T11:00:00.250Z" });
    expect(isRelative(z)).toBe(false);
    expect(isRelative({ kind: "time", from: "now-1h", to: "now" })).toBe(true);
  });
});
