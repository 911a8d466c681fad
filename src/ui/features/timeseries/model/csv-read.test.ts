import { describe, expect, it } from "vitest";
import { readCsv } from "./csv-read";

describe("readCsv (papaparse, row by row)", () => {
  it("numbers rows by the lines they span, across quoted fields with line breaks", async () => {
    const text = 't,d\r\n1,"first\r\nsecond\r\nthird"\r\n2,plain\r\n\r\n3,"a\nb"\r\n4,x\r\n';
    const read = await readCsv(text);
    expect(read.columns).toEqual(["t", "d"]);
    expect(read.rows).toEqual([
      ["1", "first\r\nsecond\r\nthird"],
      ["2", "plain"],
      ["3", "a\nb"],
      ["4", "x"],
    ]);
    expect(read.lines).toEqual([2, 5, 7, 9]);
    expect(read.endLines).toEqual([4, 5, 8, 9]);
    expect(read.problems).toEqual([]);
  });

  it("reports a quote left open with the lines it swallowed", async () => {
    const read = await readCsv('t,d\n1,ok\n2,"oops\n3,lost\n4,lost too\n');
    expect(read.rows.length).toBe(2);
    expect(read.lines).toEqual([2, 3]);
    expect(read.problems).toHaveLength(1);
    expect(read.problems[0]).toMatchObject({ rowIndex: 1, line: 3, endLine: 5 });
    expect(read.problems[0]!.message).toMatch(/opened on line 3 never closes, so it swallowed lines 3–5/);
  });

  it("skips a byte-order mark and rejects an empty file", async () => {
    expect((await readCsv("\uFEFFt,d\n1,2\n")).columns).toEqual(["t", "d"]);
    await expect(readCsv("")).rejects.toThrow("The file is empty.");
  });
});
