/**
 * A Vite step: the page's first script (src/ui/app/boot/boot.ts) goes into index.html inline,
 * ahead of the app's scripts and stylesheet, bundled and minified on its own. Inline, it runs while the HTML is parsed,
 * before the app's scripts have even been asked for: that is its whole point. The server allows it
 * by its hash (server/http/app-page.ts). In dev it is an ordinary module script.
 */
import { resolve } from "node:path";
import { rolldown } from "rolldown";
import type { Plugin } from "vite";

/** The boot script as one minified IIFE. */
export async function bundleBoot(entry: string): Promise<string> {
  const bundle = await rolldown({ input: entry, platform: "browser", logLevel: "warn" });
  try {
    const { output } = await bundle.generate({ format: "iife", minify: true });
    const code = output[0].code.trim();
    // A "</script" inside would end the element early; the minifier never writes one, but the
    // page would break silently if it did.
    if (/<\/script/i.test(code)) throw new Error(`${entry}: the bundle contains "</script"`);
    return code;
  } finally {
    await bundle.close();
  }
}

/**
 * `html` with `tag` before its first script or stylesheet (a script after the stylesheet link
 * would wait for the stylesheet before it runs).
 */
export function beforeFirstScript(html: string, tag: string): string {
  const at = html.search(/<script|<link[^>]+rel="stylesheet"|<\/head>/);
  return at < 0 ? html : `${html.slice(0, at)}${tag}\n    ${html.slice(at)}`;
}

/**
 * The inline boot script. `preload`: chunk files it may ask the browser for early, by chunk name,
 * as `data-preload-<name>` attributes it reads from its own element.
 */
export function bootTag(code: string, preload: Record<string, string> = {}): string {
  const attrs = Object.entries(preload)
    .map(([name, href]) => ` data-preload-${name}="${href.replace(/[&"<>]/g, "")}"`)
    .join("");
  return `<script${attrs}>${code}</script>`;
}

/** `entry`, the boot script; `preload`: chunk names whose files it may preload (see bootTag). */
export function inlineBoot(entry: string, preload: readonly string[] = []): Plugin {
  let serving = false;
  return {
    name: "heedy-explorer:inline-boot",
    configResolved(config) {
      serving = config.command === "serve";
    },
    transformIndexHtml: {
      // "post": the chunks' file names are known by then (ctx.bundle).
      order: "post",
      async handler(html, ctx) {
        if (serving) {
          const src = `/${resolve(entry)
            .slice(resolve(".").length + 1)
            .replace(/\\/g, "/")}`;
          return beforeFirstScript(html, `<script type="module" src="${src}"></script>`);
        }
        const files: Record<string, string> = {};
        for (const chunk of Object.values(ctx.bundle ?? {})) {
          if (chunk.type === "chunk" && preload.includes(chunk.name))
            files[chunk.name] = `/${chunk.fileName}`;
        }
        return beforeFirstScript(html, bootTag(await bundleBoot(entry), files));
      },
    },
  };
}
