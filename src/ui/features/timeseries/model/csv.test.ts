import { describe, expect, it } from "vitest";
import { CSV_HEADER, csvRows, dataToText, parseCsv, textToData } from "./csv";

describe("csv", () => {
  it("round-trips values through the d column", () => {
    for (const d of [5, 1.5, "hello", "5", "true", "", 'say "hi", ok', { a: 1 }, [1, 2], null, true]) {
      const rows = parseCsv(CSV_HEADER + csvRows([{ t: 1, d }]));
      expect(textToData(rows[1]![2]!)).toEqual(d);
    }
    expect(dataToText("plain text")).toBe("plain text");
  });

  it("parses quotes, CRLF and embedded newlines; names an unterminated quote's line", () => {
    expect(parseCsv('a,b\r\n"x\ny",2\n3,"4"""\n')).toEqual([
      ["a", "b"],
      ["x\ny", "2"],
      ["3", '4"'],
    ]);
    expect(() => parseCsv('a\n"open\n')).toThrow(/line 2/);
  });
});
