/**
 * Relative links in README.md and in every Markdown file under docs/ must point at files that exist
 * (and, for `#anchors` into Markdown files, at a heading with that GitHub-style slug). Run by
 * doc-links.test.ts.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";

export interface BrokenLink {
  /** Repository-relative Markdown file. */
  file: string;
  line: number;
  target: string;
  reason: string;
}

/** README.md and every Markdown file under docs/, repository-relative. */
export function markdownFiles(root: string): string[] {
  const out = existsSync(join(root, "README.md")) ? ["README.md"] : [];
  const walk = (dir: string) => {
    if (!existsSync(join(root, dir))) return;
    for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith(".md")) out.push(rel);
    }
  };
  walk("docs");
  return out.sort();
}

/** GitHub's heading anchor: lower case, punctuation but `-` and `_` dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[`*~]/g, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

function anchors(markdown: string): Set<string> {
  const seen = new Set<string>();
  for (const line of withoutCode(markdown).split("\n")) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (m) seen.add(slug(m[1]!));
  }
  return seen;
}

/** Blanks fenced code blocks and inline code, keeping line breaks. */
function withoutCode(markdown: string): string {
  let fenced = false;
  return markdown
    .split("\n")
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        fenced = !fenced;
        return "";
      }
      return fenced ? "" : line.replace(/`[^`]*`/g, "");
    })
    .join("\n");
}

/** Inline links `[text](target)`, images included, and reference definitions `[x]: target`. */
export function linkTargets(markdown: string): Array<{ target: string; line: number }> {
  const out: Array<{ target: string; line: number }> = [];
  withoutCode(markdown)
    .split("\n")
    .forEach((text, i) => {
      for (const m of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g))
        out.push({ target: m[1]!, line: i + 1 });
      const ref = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/.exec(text);
      if (ref) out.push({ target: ref[1]!, line: i + 1 });
    });
  return out;
}

export function brokenLinks(root: string): BrokenLink[] {
  const broken: BrokenLink[] = [];
  for (const file of markdownFiles(root)) {
    const text = readFileSync(join(root, file), "utf8");
    for (const { target, line } of linkTargets(text)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto: …
      const [pathPart = "", anchor] = target.split("#", 2);
      const path = decodeURIComponent(pathPart);
      const abs = path === "" ? join(root, file) : join(root, dirname(file), path);
      const rel = relative(root, abs).split("\\").join("/");
      if (rel.startsWith("..")) {
        broken.push({ file, line, target, reason: "points outside the repository" });
        continue;
      }
      if (!existsSync(abs)) {
        broken.push({ file, line, target, reason: "no such file" });
        continue;
      }
      if (anchor && abs.endsWith(".md") && statSync(abs).isFile()) {
        if (!anchors(readFileSync(abs, "utf8")).has(anchor.toLowerCase()))
          broken.push({ file, line, target, reason: `no heading #${anchor}` });
      }
    }
  }
  return broken;
}
