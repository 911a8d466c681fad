/**
 * React DOM and the app shell. main.tsx imports this after app/early-start.ts has run, so the
 * session check and a shared link's reads are on the wire while this chunk (the largest) is
 * fetched and evaluated; index.html preloads it (vite-route-chunks), so nothing waits on it.
 */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";

const root = document.getElementById("root");
if (!root) throw new Error("index.html lacks #root");
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
