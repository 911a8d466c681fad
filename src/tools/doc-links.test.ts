import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { brokenLinks, linkTargets, markdownFiles, slug } from "./doc-links";

const temp = mkdtempSync(join(tmpdir(), "heedy-doc-links-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function tree(name: string, files: Record<string, string>): string {
  const root = join(temp, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe("doc links", () => {
  it("every relative link in README.md and docs/ points at an existing file and heading", () => {
    const root = resolve(import.meta.dirname, "../..");
    expect(markdownFiles(root)).toEqual(expect.arrayContaining(["README.md", "docs/api.md"]));
    expect(brokenLinks(root)).toEqual([]);
  });

  it("reports a missing file, a missing heading and a link out of the repository", () => {
    const root = tree("broken", {
      "README.md": [
        "# Title",
        "[ok](docs/a.md) [ok too](docs/a.md#the-part) [web](https://example.org/x)",
        "[gone](docs/missing.md)",
        "[bad anchor](docs/a.md#nowhere)",
        "[outside](../shared/heedy-api.md)",
        "`[in code](nope.md)`",
        "```",
        "[in a fence](nope.md)",
        "```",
      ].join("\n"),
      "docs/a.md": "# A\n\n## The part\n\n[self](#a) [up](../README.md#title)\n",
    });
    expect(brokenLinks(root).map((b) => [b.file, b.line, b.target, b.reason])).toEqual([
      ["README.md", 3, "docs/missing.md", "no such file"],
      ["README.md", 4, "docs/a.md#nowhere", "no heading #nowhere"],
      ["README.md", 5, "../shared/heedy-api.md", "points outside the repository"],
    ]);
  });

  it("reads inline links, titles and reference definitions", () => {
    expect(linkTargets('a [x](y.md "title") b ![i](img.png)\n[ref]: docs/z.md\n')).toEqual([
      { target: "y.md", line: 1 },
      { target: "img.png", line: 1 },
      { target: "docs/z.md", line: 2 },
    ]);
    expect(slug("Where we differ from heedy")).toBe("where-we-differ-from-heedy");
    expect(slug("1. `last_modified` & meta")).toBe("1-last_modified--meta");
  });
});
