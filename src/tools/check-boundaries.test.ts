import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkBoundaries, importSites } from "./check-boundaries";

let roots: string[] = [];
afterEach(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
  roots = [];
});

/** A throwaway repository with the given files (path → contents). */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "heedy-boundaries-"));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** Files every planted import may point at. */
const base: Record<string, string> = {
  "src/core/time.ts": 'import { Ajv } from "ajv";\nimport type { Point } from "./datapoint.js";\n',
  "src/core/datapoint.ts": "export type Point = { t: number };\n",
  "src/client/index.ts": 'import { parseTime } from "../core/time.js";\n',
  "src/server/app.ts": 'import { readFileSync } from "node:fs";\nimport { x } from "../core/time.js";\n',
  "src/server/testing.ts": 'export { buildApp } from "./app.js";\n',
  "src/ui/app/App.tsx": 'import { Objects } from "../features/objects/Objects";\n',
  "src/ui/features/objects/Objects.tsx":
    'import { Dialog } from "../../shared/Dialog";\nimport { App } from "../../../client/index";\n',
  "src/ui/features/timeseries/Chart.tsx": 'const w = new URL("./worker.ts", import.meta.url);\n',
  "src/ui/shared/Dialog.tsx": 'import { scopes } from "../../core/scopes";\n',
  "src/ui/workers/schema.worker.ts": 'import { check } from "../../core/schema";\n',
  "src/client/tutorial.test.ts": 'import { startTestServer } from "../server/testing.js";\n',
  "src/server/routes/objects.test.ts": 'import { App } from "../../client/index.js";\n',
  // Comments and strings are not imports.
  "src/core/notes.ts":
    '// import x from "../server/app.js";\n/* import("node:fs") */\nconst url = "http://example.org";\n',
};

const planted: Array<[string, string, string, RegExp]> = [
  ["ui → server", "src/ui/shared/Bad.tsx", 'import { buildApp } from "../../server/app.js";', /UI never/],
  ["ui (old layout) → server", "src/ui/pages/Bad.tsx", 'import "../../server/app.js";', /UI never/],
  ["client → ui", "src/client/bad.ts", 'export { App } from "../ui/app/App";', /client never imports the UI/],
  ["client → server", "src/client/bad.ts", 'const m = await import("../server/app.js");', /client never/],
  ["core → client", "src/core/bad.ts", 'import type { App } from "../client/index.js";', /outside core/],
  ["core → node builtin", "src/core/bad.ts", 'import { readFileSync } from "node:fs";', /no Node builtins/],
  ["core → bare builtin", "src/core/bad.ts", 'import { join } from "path";', /no Node builtins/],
  ["core → type import", "src/core/bad.ts", 'type S = typeof import("../server/app.js");', /outside core/],
  ["core test → server", "src/core/bad.test.ts", 'import { x } from "../server/app.js";', /outside core/],
  ["server → ui", "src/server/bad.ts", 'import { App } from "../ui/app/App";', /server never imports the UI/],
  [
    "server → client",
    "src/server/bad.ts",
    'import { App } from "../client/index.js";',
    /server never imports the client/,
  ],
  [
    "feature → feature",
    "src/ui/features/objects/bad.ts",
    'import { Chart } from "../timeseries/Chart";',
    /objects -> src\/ui\/features\/timeseries/,
  ],
  [
    "feature → feature (worker URL)",
    "src/ui/features/objects/bad.ts",
    'new Worker(new URL("../timeseries/plot.worker.ts", import.meta.url));',
    /features never import each other/,
  ],
  [
    "feature test → feature",
    "src/ui/features/objects/bad.test.ts",
    'import { Chart } from "../timeseries/Chart";',
    /features never import each other/,
  ],
  ["feature → app", "src/ui/features/objects/bad.ts", 'import { App } from "../../app/App";', /app shell/],
  [
    "shared → feature",
    "src/ui/shared/bad.ts",
    'import { Objects } from "../features/objects/Objects";',
    /shared UI/,
  ],
  ["shared → app", "src/ui/shared/bad.ts", 'import { App } from "../app/App";', /shared UI/],
];

describe("check-boundaries", () => {
  it("passes a clean tree in the target layout (tests may cross client and server)", () => {
    expect(checkBoundaries(tree(base))).toEqual([]);
  });

  it.each(planted)("reports %s with file, line and rule", (_name, file, line, rule) => {
    const root = tree({ ...base, [file]: `// first line\n\n${line}\n` });
    const found = checkBoundaries(root);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ file, line: 3 });
    expect(found[0]!.rule).toMatch(rule);
  });

  it("reads specifiers over several lines and skips commented ones", () => {
    const sites = importSites(
      [
        "import {",
        "  a,",
        "  type B,",
        '} from "./a.js";',
        '// import c from "./c.js";',
        'export * from "./d.js";',
        'const e = "import f from \'./f.js\'".length; /* import("./g.js") */',
      ].join("\n"),
    );
    expect(sites.map((s) => [s.specifier, s.line])).toEqual([
      ["./a.js", 4],
      ["./d.js", 6],
    ]);
  });

  it("passes on this repository", () => {
    expect(checkBoundaries(resolve(import.meta.dirname, "../.."))).toEqual([]);
  });
});
