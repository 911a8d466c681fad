/**
 * A Vite build step that keeps the number of files a page load fetches small. The browser opens
 * at most six connections to a plain-HTTP server, so two dozen small chunks queue behind each
 * other, and the page's own API reads queue behind them (measured on a cold shared object link:
 * 20 chunks, the reads waiting 300 ms for a connection).
 *
 * - `app`: everything the entry needs before it runs, as one file.
 * - one chunk per listed route: the modules the route's roots import statically, leaving out what
 *   `app` already has and what the route loads lazily itself (dialogs, workers).
 * - a route with `sharedWith` takes only the modules its roots and those roots both reach: code two
 *   routes share (the chart and uPlot, for the object page and Explore) goes in a file of its own,
 *   so opening one route never fetches the other's code.
 *
 * The route sets are computed once the module graph is known (`buildEnd`), before chunking.
 */
import type { HtmlTagDescriptor, Plugin } from "vite";

export interface RouteChunk {
  name: string;
  /** Modules the route renders from; their static imports go with them. */
  roots: RegExp[];
  /** Fetched with the page (a modulepreload in index.html, and its CSS): the app shell. */
  preload?: boolean;
  /** Roots of another route: the chunk keeps only what both sets of roots reach. */
  sharedWith?: RegExp[];
}

/** Ids of the modules `roots` reach through static imports. */
function staticClosure(
  roots: readonly string[],
  importsOf: (id: string) => readonly string[],
  stop: ReadonlySet<string>,
): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id) || stop.has(id)) continue;
    seen.add(id);
    stack.push(...importsOf(id));
  }
  return seen;
}

export function routeChunks(routes: readonly RouteChunk[]): Plugin {
  const owner = new Map<string, string>();
  return {
    name: "heedy-route-chunks",
    apply: "build",
    buildEnd() {
      owner.clear();
      const ids = [...this.getModuleIds()];
      const importsOf = (id: string) => this.getModuleInfo(id)?.importedIds ?? [];
      const entries = ids.filter((id) => this.getModuleInfo(id)?.isEntry);
      // Earlier groups win: a module the shell needs never makes the shell load a route's chunk.
      const taken = staticClosure(entries, importsOf, new Set());
      const rootsOf = (patterns: readonly RegExp[]) => ids.filter((id) => patterns.some((r) => r.test(id)));
      for (const route of routes) {
        // Shared code is looked for past the entry's modules too: a package's index there re-exports
        // modules the entry never uses (rolldown leaves them out of its chunk), which both routes
        // use through it. The entry's group outranks this one, so it keeps what it does use.
        const stop = route.sharedWith ? new Set(owner.keys()) : taken;
        const both = route.sharedWith && staticClosure(rootsOf(route.sharedWith), importsOf, stop);
        for (const id of staticClosure(rootsOf(route.roots), importsOf, stop)) {
          if (both && !both.has(id)) continue;
          owner.set(id, route.name);
          taken.add(id);
        }
      }
    },
    transformIndexHtml: {
      order: "post",
      handler(_html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle) return;
        const tags: HtmlTagDescriptor[] = [];
        for (const route of routes.filter((r) => r.preload)) {
          for (const chunk of Object.values(bundle)) {
            if (chunk.type !== "chunk" || chunk.name !== route.name) continue;
            tags.push({
              tag: "link",
              attrs: { rel: "modulepreload", crossorigin: true, href: `/${chunk.fileName}` },
              injectTo: "head",
            });
            for (const css of chunk.viteMetadata?.importedCss ?? []) {
              tags.push({
                tag: "link",
                attrs: { rel: "stylesheet", crossorigin: true, href: `/${css}` },
                injectTo: "head",
              });
            }
          }
        }
        return tags;
      },
    },
    config() {
      return {
        build: {
          rolldownOptions: {
            output: {
              codeSplitting: {
                // Higher priority first: a group also takes its modules' dependencies, so the
                // shell must claim its own before a route's group can pull them in.
                groups: [
                  { name: "app", tags: ["$initial"], priority: routes.length + 1 },
                  ...routes.map((route, i) => ({
                    name: route.name,
                    test: (id: string) => owner.get(id) === route.name,
                    priority: routes.length - i,
                  })),
                ],
              },
            },
          },
        },
      };
    },
  };
}
