import { describe, expect, it } from "vitest";
import { CARD_HEIGHT, ROW_HEIGHT, virtualRows } from "./virtual-rows";

describe("virtual rows", () => {
  it("renders only the rows in view (plus a margin)", () => {
    const v = virtualRows(1000, 300 * ROW_HEIGHT, 360);
    expect(v.first).toBeGreaterThanOrEqual(290);
    expect(v.last).toBeLessThanOrEqual(330);
    expect(v.height).toBe(1000 * ROW_HEIGHT);
  });

  it("maps a capped scroll height over a million rows", () => {
    const v = virtualRows(1_000_000, 8_000_000, 360);
    expect(v.height).toBe(8_000_000);
    expect(v.last).toBe(1_000_000);
    const mid = virtualRows(1_000_000, 4_000_000, 360);
    expect(mid.first).toBeGreaterThan(490_000);
    expect(mid.first).toBeLessThan(510_000);
  });

  it("lays out phone cards at their own height", () => {
    const v = virtualRows(100, 10 * CARD_HEIGHT, 360, CARD_HEIGHT);
    expect(v.height).toBe(100 * CARD_HEIGHT);
    expect(v.first).toBeLessThanOrEqual(10);
    expect(v.last).toBeGreaterThanOrEqual(10 + Math.ceil(360 / CARD_HEIGHT));
    expect(v.top).toBe(v.first * CARD_HEIGHT);
  });
});
