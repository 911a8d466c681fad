import { describe, expect, it } from "vitest";
import { ROW_HEIGHT, virtualRows } from "./virtual-rows";

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
});
