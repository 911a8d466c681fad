import { describe, expect, it } from "vitest";
import { EARLY_READS_GLOBAL } from "../ui/shared/api/early-reads";
import { beforeFirstScript, bootTag, bundleBoot } from "./vite-inline-boot";

const BUILT = `<head>
    <title>x</title>
    <script type="module" crossorigin src="/assets/index.js"></script>
    <link rel="stylesheet" crossorigin href="/assets/style.css">
  </head>`;

describe("the inline boot script", () => {
  it("goes before the first script and the stylesheet, which it must not wait for", () => {
    const html = beforeFirstScript(BUILT, "<script>boot()</script>");
    expect(html.indexOf("boot()")).toBeLessThan(html.indexOf("/assets/index.js"));
    const cssFirst = BUILT.replace(/(<script.*<\/script>)\n(\s*)(<link.*>)/, "$3\n$2$1");
    const again = beforeFirstScript(cssFirst, "<script>boot()</script>");
    expect(again.indexOf("boot()")).toBeLessThan(again.indexOf("style.css"));
    expect(beforeFirstScript("<head></head>", "<b>")).toBe("<head><b>\n    </head>");
  });

  it("names the chunks it may preload in attributes that cannot break out of the tag", () => {
    expect(bootTag("go()", { "first-paint": '/assets/a"><x.js' })).toBe(
      '<script data-preload-first-paint="/assets/ax.js">go()</script>',
    );
  });

  it("is one classic script: no module syntax, the app's reads left in the global", async () => {
    const code = await bundleBoot("src/ui/app/boot/boot.ts");
    expect(code).not.toMatch(/^\s*(import|export)\b/m);
    expect(code).toContain(EARLY_READS_GLOBAL);
    expect(code).not.toMatch(/<\/script/i);
    // Classic-script syntax: it parses as a function body.
    expect(() => new Function(code)).not.toThrow();
  });
});
