/**
 * React DOM and the app shell. main.tsx imports this after app/early-start.ts has run, so the
 * session check and a shared link's reads are on the wire while this chunk (the largest) is
 * fetched and evaluated; index.html preloads it (vite-route-chunks), so nothing waits on it.
 */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { endFirstPaint, reactTakesOver } from "../shared/first-paint";
import { App } from "./App";

/** Longest a first paint stays over React's page (a chart slower than this shows React's loading state). */
const FIRST_PAINT_MAX_MS = 4000;

reactTakesOver();
const root = document.getElementById("root");
if (!root) throw new Error("index.html lacks #root");
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
setTimeout(endFirstPaint, FIRST_PAINT_MAX_MS);
