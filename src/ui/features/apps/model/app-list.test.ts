import { describe, expect, it } from "vitest";
import { countByApp, objectsWord, settingsFields, settingValue } from "./app-list";

describe("apps model", () => {
  it("counts objects per app", () => {
    expect(countByApp([{ app: "a" }, { app: "a" }, { app: null }, { app: "b" }])).toEqual({
      a: 2,
      "": 1,
      b: 1,
    });
    expect(objectsWord(0)).toBe("no objects");
    expect(objectsWord(1)).toBe("1 object");
    expect(objectsWord(1200)).toBe("1,200 objects");
  });

  it("makes form fields from a flat settings schema, and refuses nested ones", () => {
    const fields = settingsFields({
      type: "object",
      properties: {
        interval: { type: "integer", title: "Interval (s)", description: "How often" },
        unit: { enum: ["steps", "km"] },
        enabled: { type: "boolean" },
      },
      required: ["interval"],
    });
    expect(fields?.map((f) => [f.name, f.kind, f.title, f.required])).toEqual([
      ["interval", "integer", "Interval (s)", true],
      ["unit", "enum", "unit", false],
      ["enabled", "boolean", "enabled", false],
    ]);
    expect(settingsFields({ properties: { nested: { type: "object" } } })).toBeNull();
    expect(settingsFields({})).toBeNull();
    expect(settingValue(fields![0]!, "30")).toBe(30);
    expect(settingValue(fields![0]!, "")).toBeUndefined();
    expect(settingValue(fields![2]!, true)).toBe(true);
  });
});
