import { describe, expect, it } from "vitest";
import { formatAgo } from "./format";

describe("formatAgo", () => {
  const now = 1_700_000_000_000;
  it.each([
    [now / 1000 - 3, "just now"],
    [now / 1000 - 42, "42 s ago"],
    [now / 1000 - 150, "2 min ago"],
    [now / 1000 - 3 * 3600 - 5, "3 h ago"],
    [now / 1000 - 5 * 86400, "5 d ago"],
    [now / 1000 + 120, "in 2 min"],
  ])("%d → %s", (t, text) => {
    expect(formatAgo(t, now)).toBe(text);
  });
});
