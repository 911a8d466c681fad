import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LOGO_SVG, LOGO_URL } from "./logo";

describe("the logo", () => {
  it("is public/favicon.svg, and index.html's icon is the same data URL", () => {
    expect(LOGO_SVG).toBe(readFileSync("public/favicon.svg", "utf8").trim());
    const icon = /<link rel="icon" type="image\/svg\+xml" href="([^"]+)"/.exec(
      readFileSync("index.html", "utf8"),
    );
    expect(icon?.[1]).toBe(LOGO_URL);
  });
});
