import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { inlineBoot } from "./src/tools/vite-inline-boot.ts";
import { lazyUplotIntlPlugin } from "./src/tools/vite-lazy-uplot-intl.ts";
import { precompress } from "./src/tools/vite-precompress.ts";
import { routeChunks } from "./src/tools/vite-route-chunks.ts";

const OBJECT_PAGE = [/src[\\/]ui[\\/]app[\\/]routes[\\/]ObjectPage\.tsx$/, /Chart[\\/]TimeseriesChart\.tsx$/];
const EXPLORE_PAGE = /explore[\\/]components[\\/]ExplorePage\.tsx$/;
// Explore loads its chart lazily (a chunk of its own), so the chart's roots count as Explore's.
const EXPLORE = [EXPLORE_PAGE, /explore[\\/]components[\\/]ExploreChart\.tsx$/];

// The browser app. `npm run dev` serves it on :5173 and forwards the API to a server started with
// `npm run dev:server` (port 1324), so the app talks to its own origin exactly as in production.
export default defineConfig({
  // precompress: .gz and .br beside each asset, served by @fastify/static's preCompressed.
  // routeChunks: a shared object link fetches a handful of files, not two dozen (see the plugin).
  // inlineBoot: a shared object link's first reads go out while the HTML is parsed (app/boot).
  plugins: [
    react(),
    inlineBoot("src/ui/app/boot/boot.ts", ["first-paint", "shell"]),
    // uPlot's Intl formats made on first use: a first paint's chart then starts no ICU.
    lazyUplotIntlPlugin(),
    routeChunks([
      { name: "shell", roots: [/src[\\/]ui[\\/]app[\\/]mount\.tsx$/] },
      // A cold Data tab link's chart before React (app/first-paint): uPlot and the chart's data
      // code, which the chart chunk below then imports from here.
      { name: "first-paint", roots: [/first-paint[\\/]first-paint-chart\.ts$/] },
      // uPlot and the plot and time code the object page and Explore both use.
      { name: "chart", roots: OBJECT_PAGE, sharedWith: EXPLORE },
      { name: "object-page", roots: OBJECT_PAGE },
      { name: "explore", roots: [EXPLORE_PAGE] },
      { name: "person", roots: [/src[\\/]ui[\\/]app[\\/]routes[\\/](Apps|App|Account|Users)Page\.tsx$/] },
    ]),
    precompress(),
  ],
  build: {
    outDir: "dist/app",
    emptyOutDir: true,
    // One stylesheet (45 KB, 9 KB brotli) with the page: a cold object link's chunks no longer
    // bring two stylesheets of their own, which queued its reads for the browser's six
    // connections to the server.
    cssCodeSplit: false,
  },
  server: {
    proxy: {
      // ws: the events socket (/api/events) goes through the same proxy.
      "/api": { target: "http://127.0.0.1:1324", ws: true },
      "/auth": "http://127.0.0.1:1324",
    },
  },
});
