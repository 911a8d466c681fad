import { describe, expect, it } from "vitest";
import { blockIndices } from "./table";

describe("table blocks", () => {
  it("reads blocks newest first by index", () => {
    const win = { start: 100, count: 450, selection: {} };
    expect(blockIndices(win, 0)).toEqual([350, 550]);
    expect(blockIndices(win, 2)).toEqual([100, 150]);
  });
});
