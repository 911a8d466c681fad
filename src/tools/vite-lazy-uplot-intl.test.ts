import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { lazyUplotIntl } from "./vite-lazy-uplot-intl";

describe("lazyUplotIntl", () => {
  const source = readFileSync(createRequire(import.meta.url).resolve("uplot/dist/uPlot.esm.js"), "utf8");

  it("leaves uPlot no Intl format made at load, and its formats made on first use", () => {
    const out = lazyUplotIntl(source);
    // No top-level declaration is a format any more: they are made inside functions.
    expect(source.match(/^(?:const|let|var) \w+ = new Intl\./gm)).toHaveLength(2);
    expect(out.match(/^(?:const|let|var) \w+ = new Intl\./gm)).toBeNull();
    expect(out).toContain("(numFormatter ??= new Intl.NumberFormat(");
    expect(out).toContain("tz == localTz()");
  });

  it("fails loudly on a source it does not recognise", () => {
    expect(() => lazyUplotIntl("const x = 1;")).toThrow(/uPlot no longer contains/);
  });
});
