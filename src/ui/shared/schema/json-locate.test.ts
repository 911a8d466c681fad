import { describe, expect, it } from "vitest";
import { parseWithPositions } from "./json-locate";

describe("parseWithPositions", () => {
  it("parses like JSON.parse and locates values by JSON pointer", () => {
    const text = '{\n  "type": "object",\n  "properties": {\n    "a/b": { "type": "nubmer" }\n  }\n}';
    const r = parseWithPositions(text);
    if (!r.ok) throw new Error(r.message);
    expect(r.value).toEqual(JSON.parse(text));
    expect(r.locate("/properties/a~1b/type")).toEqual({ line: 4, column: 22 });
    expect(r.locate("/properties")).toEqual({ line: 3, column: 17 });
    // A pointer the text lacks falls back to the nearest value it has.
    expect(r.locate("/properties/missing/type")).toEqual({ line: 3, column: 17 });
  });

  it("reports syntax errors at their line", () => {
    const r = parseWithPositions('{\n  "type": "number",\n  "minimum": 1,\n}');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.position.line).toBe(4);
      expect(r.message).toMatch(/property name/);
    }
  });

  it("rejects duplicate keys, trailing text and bad literals", () => {
    expect(parseWithPositions('{"a":1,"a":2}').ok).toBe(false);
    expect(parseWithPositions("{} x").ok).toBe(false);
    expect(parseWithPositions("{'a':1}").ok).toBe(false);
    expect(parseWithPositions('"unterminated').ok).toBe(false);
    const ok = parseWithPositions('[1, -2.5e3, true, null, "\\u00e9"]');
    expect(ok.ok && ok.value).toEqual([1, -2500, true, null, "é"]);
  });
});
