import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { restoreSession } from "../shared/session/session-store";
import { App } from "./App";

// Runs before the first render: it takes a `#token=…` fragment out of the address bar at once and
// marks the session as being checked, so the login form does not flash.
void restoreSession();

const root = document.getElementById("root");
if (!root) throw new Error("index.html lacks #root");
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
