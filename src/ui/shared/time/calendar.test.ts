import { describe, expect, it } from "vitest";
import { calendarDay, dayStart, fromDatetimeLocal, toDatetimeLocal, weekStart } from "./calendar";
import { calendarTime, parseRangeTime, resolveRange, shiftWindow, zoomOutWindow } from "./view-range";

const iso = (s: number) => new Date(s * 1000).toISOString();
const at = (text: string) => Date.parse(text) / 1000;

describe("calendar days in a time zone", () => {
  it("is 23 hours long on the spring-forward day and 25 on the autumn one (Europe/Berlin)", () => {
    // 31 March 2024: clocks go from 02:00 to 03:00 CET→CEST.
    const [a, b] = calendarDay(at("2024-03-31T12:00:00Z"), "Europe/Berlin", 0);
    expect(iso(a)).toBe("2024-03-30T23:00:00.000Z");
    expect(iso(b)).toBe("2024-03-31T22:00:00.000Z");
    expect(b - a).toBe(23 * 3600);
    // 27 October 2024: clocks go back from 03:00 to 02:00.
    const [c, d] = calendarDay(at("2024-10-27T12:00:00Z"), "Europe/Berlin", 0);
    expect(iso(c)).toBe("2024-10-26T22:00:00.000Z");
    expect(d - c).toBe(25 * 3600);
  });

  it("gives yesterday across the change, and today in UTC and New York", () => {
    const [y1, y2] = calendarDay(at("2024-04-01T08:00:00Z"), "Europe/Berlin", -1);
    expect([iso(y1), iso(y2)]).toEqual(["2024-03-30T23:00:00.000Z", "2024-03-31T22:00:00.000Z"]);
    expect(calendarDay(at("2024-03-10T15:00:00Z"), "UTC", 0).map(iso)).toEqual([
      "2024-03-10T00:00:00.000Z",
      "2024-03-11T00:00:00.000Z",
    ]);
    // US spring-forward is 10 March 2024.
    const [n1, n2] = calendarDay(at("2024-03-10T15:00:00Z"), "America/New_York", 0);
    expect(iso(n1)).toBe("2024-03-10T05:00:00.000Z");
    expect(n2 - n1).toBe(23 * 3600);
  });

  it("starts weeks on Monday and days at midnight", () => {
    expect(iso(weekStart(at("2024-05-02T10:00:00Z"), "UTC"))).toBe("2024-04-29T00:00:00.000Z");
    expect(iso(dayStart(at("2024-05-02T23:30:00Z"), "Asia/Tokyo"))).toBe("2024-05-02T15:00:00.000Z");
  });

  it("reads and writes datetime-local values in the zone", () => {
    const t = at("2024-07-01T10:15:30Z");
    expect(toDatetimeLocal(t, "Europe/Berlin")).toBe("2024-07-01T12:15:30");
    expect(fromDatetimeLocal("2024-07-01T12:15:30", "Europe/Berlin")).toBe(t);
    expect(fromDatetimeLocal("2024-07-01T12:15", "UTC")).toBe(at("2024-07-01T12:15:00Z"));
    expect(fromDatetimeLocal("yesterday", "UTC")).toBeUndefined();
    // 02:30 does not exist on 31 March in Berlin: the instant after the gap.
    expect(iso(fromDatetimeLocal("2024-03-31T02:30", "Europe/Berlin")!)).toBe("2024-03-31T01:30:00.000Z");
  });
});

describe("calendar ranges", () => {
  const now = new Date("2024-03-31T12:00:00Z");

  it("`now/d` to `now/d` is today and `now-1d/d` yesterday, in the chosen zone", () => {
    const today = resolveRange({ kind: "time", from: "now/d", to: "now/d" }, now, "Europe/Berlin");
    expect([iso(today.t1!), iso(today.t2!)]).toEqual([
      "2024-03-30T23:00:00.000Z",
      "2024-03-31T22:00:00.000Z",
    ]);
    const yesterday = resolveRange({ kind: "time", from: "now-1d/d", to: "now-1d/d" }, now, "UTC");
    expect([iso(yesterday.t1!), iso(yesterday.t2!)]).toEqual([
      "2024-03-30T00:00:00.000Z",
      "2024-03-31T00:00:00.000Z",
    ]);
    expect(iso(calendarTime("now/w", now, "UTC", false)!)).toBe("2024-03-25T00:00:00.000Z");
    expect(calendarTime("now-1h", now, "UTC", false)).toBeUndefined();
  });

  it("reads dates without an offset in the chosen zone", () => {
    expect(parseRangeTime("2024-07-01 12:00", now, { zone: "Europe/Berlin" })).toBe(
      at("2024-07-01T10:00:00Z"),
    );
    expect(parseRangeTime("2024-07-01T12:00:00Z", now, { zone: "Europe/Berlin" })).toBe(
      at("2024-07-01T12:00:00Z"),
    );
  });
});

describe("time navigation", () => {
  it("zooms out twice around the centre and shifts by half a window", () => {
    expect(zoomOutWindow(100, 200)).toEqual([50, 250]);
    expect(shiftWindow(100, 200, -1)).toEqual([50, 150]);
    expect(shiftWindow(100, 200, 1)).toEqual([150, 250]);
  });
});
