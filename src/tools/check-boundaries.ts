/**
 * The import rules of docs/architecture.md, checked by `npm run lint`
 * (`tsx src/tools/check-boundaries.ts`). Prints `file:line` and the rule for every import that
 * breaks one, and exits 1 if there is any.
 *
 * Parsing: TypeScript 7 has no JS API and es-module-lexer is not installed, so this reads import
 * specifiers with regular expressions, after blanking out comments (a small scanner that knows
 * string literals, so `"http://x"` is not a comment). The project's code is Biome-formatted,
 * which keeps every import in one of the shapes matched below.
 */
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

export interface Violation {
  /** Repository-relative path with forward slashes. */
  file: string;
  line: number;
  specifier: string;
  rule: string;
}

export interface ImportSite {
  specifier: string;
  line: number;
}

/**
 * Replaces comments, and string literals that contain whitespace, with spaces (newlines kept, so
 * offsets and line numbers stay true).
 */
export function blankComments(src: string): string {
  const out = src.split("");
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    const next = src[i + 1];
    if (c === "/" && next === "/") {
      while (i < src.length && src[i] !== "\n") out[i++] = " ";
    } else if (c === "/" && next === "*") {
      const end = src.indexOf("*/", i + 2);
      const stop = end < 0 ? src.length : end + 2;
      for (; i < stop; i++) if (src[i] !== "\n") out[i] = " ";
    } else if (c === '"' || c === "'" || c === "`") {
      // Skip the literal; quotes other than backticks end at a newline, so a stray quote (in a
      // regex literal, say) cannot swallow the rest of the file.
      const start = ++i;
      while (i < src.length && src[i] !== c && (c === "`" || src[i] !== "\n")) i += src[i] === "\\" ? 2 : 1;
      // Module specifiers hold no whitespace; prose that merely mentions `import x from "y"` does.
      if (/\s/.test(src.slice(start, i))) for (let k = start; k < i; k++) if (src[k] !== "\n") out[k] = " ";
      i++;
    } else i++;
  }
  return out.join("");
}

const PATTERNS = [
  // import x from "m"; import { a, type B } from "m"; export * from "m"; export { a } from "m"
  /\b(?:import|export)\b[^;"'`()]*?\bfrom\s*["']([^"']+)["']/g,
  // import "m" (side effects only)
  /\bimport\s*["']([^"']+)["']/g,
  // import("m") and typeof import("m")
  /\bimport\s*\(\s*["'`]([^"'`$]+)["'`]\s*\)/g,
  // new Worker(new URL("./x.worker.ts", import.meta.url)) and other files resolved the same way
  /\bnew\s+URL\s*\(\s*["'`]([^"'`$]+)["'`]\s*,\s*import\.meta\.url\s*\)/g,
];

export function importSites(source: string): ImportSite[] {
  const text = blankComments(source);
  const sites: ImportSite[] = [];
  for (const pattern of PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      const at = (m.index ?? 0) + m[0].lastIndexOf(m[1]!);
      sites.push({ specifier: m[1]!, line: text.slice(0, at).split("\n").length });
    }
  }
  return sites.sort((a, b) => a.line - b.line);
}

/** A test, or a harness that only tests use: these may cross the client/server/ui layer lines. */
export function isTestFile(file: string): boolean {
  const base = file.slice(file.lastIndexOf("/") + 1);
  return /\.test\.tsx?$/.test(base) || base.startsWith("test-") || file === "src/server/testing.ts";
}

type Target = { kind: "file"; path: string } | { kind: "builtin" } | { kind: "package" };

function targetOf(file: string, specifier: string): Target {
  if (specifier.startsWith(".") || specifier.startsWith("/")) {
    const abs = specifier.startsWith("/") ? specifier : join(dirname(file), specifier);
    return { kind: "file", path: abs.split(sep).join("/").replace(/^\.\//, "") };
  }
  const head = specifier.split("/")[0]!;
  if (specifier.startsWith("node:") || builtinModules.includes(head)) return { kind: "builtin" };
  return { kind: "package" };
}

const under = (path: string, dir: string) => path === dir || path.startsWith(`${dir}/`);
const feature = (path: string) => /^src\/ui\/features\/([^/]+)(\/|$)/.exec(path)?.[1];

/** The rule an import breaks, or undefined. `file` is repository-relative with forward slashes. */
export function brokenRule(file: string, specifier: string): string | undefined {
  const target = targetOf(file, specifier);
  const path = target.kind === "file" ? target.path : undefined;
  const test = isTestFile(file);

  if (under(file, "src/core")) {
    if (target.kind === "builtin") return "core is pure: no Node builtins (src/core/** -> node:*)";
    if (path !== undefined && !under(path, "src/core"))
      return "core imports nothing outside core (src/core/** -> outside src/core)";
    return undefined;
  }
  if (path === undefined) return undefined;

  if (under(file, "src/ui")) {
    const from = feature(file);
    const to = feature(path);
    if (from !== undefined && to !== undefined && from !== to)
      return `features never import each other (src/ui/features/${from} -> src/ui/features/${to})`;
    if (from !== undefined && under(path, "src/ui/app"))
      return "features never import the app shell (src/ui/features/** -> src/ui/app/**)";
    if (under(file, "src/ui/shared") && (to !== undefined || under(path, "src/ui/app")))
      return "shared UI code imports no feature and no shell (src/ui/shared/** -> src/ui/features|app/**)";
    if (!test && under(path, "src/server"))
      return "the UI never imports the server (src/ui/** -> src/server/**)";
    return undefined;
  }
  if (test) return undefined;
  if (under(file, "src/client")) {
    if (under(path, "src/ui")) return "the client never imports the UI (src/client/** -> src/ui/**)";
    if (under(path, "src/server"))
      return "the client never imports the server (src/client/** -> src/server/**)";
  }
  if (under(file, "src/server")) {
    if (under(path, "src/ui")) return "the server never imports the UI (src/server/** -> src/ui/**)";
    if (under(path, "src/client"))
      return "the server never imports the client (src/server/** -> src/client/**)";
  }
  return undefined;
}

function sourceFiles(root: string, dir = "src"): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) files.push(...sourceFiles(root, rel));
    else if (/\.tsx?$/.test(entry.name)) files.push(rel);
  }
  return files;
}

/** Every broken rule under `root`/src. */
export function checkBoundaries(root: string): Violation[] {
  const violations: Violation[] = [];
  for (const file of sourceFiles(root).sort()) {
    for (const site of importSites(readFileSync(join(root, file), "utf8"))) {
      const rule = brokenRule(file, site.specifier);
      if (rule) violations.push({ file, line: site.line, specifier: site.specifier, rule });
    }
  }
  return violations;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
  const violations = checkBoundaries(root);
  for (const v of violations) console.error(`${v.file}:${v.line}: "${v.specifier}" breaks: ${v.rule}`);
  if (violations.length > 0) {
    console.error(`${violations.length} import(s) break the rules of docs/architecture.md`);
    process.exitCode = 1;
  } else console.log(`imports: ${relative(process.cwd(), join(root, "src")) || "src"} keeps its boundaries`);
}
