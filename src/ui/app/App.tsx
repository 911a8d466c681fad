import { QueryClientProvider } from "@tanstack/react-query";
import { lazy, Suspense, useState } from "react";
import { LoginPage } from "../features/session/components/LoginPage";
import { preloadChart } from "../features/timeseries/components/Chart/LazyChart";
import { Link } from "../shared/components/Link";
import { useSession } from "../shared/session/session-store";
import { ErrorBoundary } from "./ErrorBoundary";
import { Notifications } from "./Notifications";
import { createQueryClient } from "./query-client";
import { type ObjectTab, useRoute } from "./router";
import { BrowserPage } from "./routes/BrowserPage";
import { ExploreRoute } from "./routes/ExploreRoute";
import { TopBar } from "./TopBar";
import "../shared/styles/app.css";

// The object page carries the schema editor and the chart; the first screen does not need them. Once the
// browser is idle after sign-in the chunk is fetched anyway, so opening an object is instant.
let objectPageModule: typeof import("./routes/ObjectPage") | undefined;
const loadObjectPage = () =>
  import("./routes/ObjectPage").then((m) => {
    objectPageModule = m;
    return m;
  });
const LazyObjectPage = lazy(() => loadObjectPage().then((m) => ({ default: m.ObjectPage })));

function preloadObjectPage(): void {
  const idle = (globalThis as { requestIdleCallback?: (cb: () => void) => void }).requestIdleCallback;
  const run = () => {
    void loadObjectPage().catch(() => undefined);
    // The chart chunk (uPlot) is the other half of a first object open.
    void preloadChart().catch(() => undefined);
  };
  if (idle) idle(run);
  else setTimeout(run, 500);
}

const queryClient = createQueryClient();

// A new session (or none) must never see the previous one's cached data.
useSession.subscribe((state, previous) => {
  if (state.client !== previous.client) queryClient.clear();
  if (state.status === "signed-in" && previous.status !== "signed-in") preloadObjectPage();
});

function Routes() {
  const route = useRoute();
  return (
    <ErrorBoundary resetKey={route.page === "object" ? `${route.id}/${route.tab}` : route.page}>
      <RouteView route={route} />
    </ErrorBoundary>
  );
}

/**
 * Once preloaded, the object page renders directly (even a loaded lazy() suspends for a tick on
 * first use); the choice is made once per object so the component type never changes under it.
 */
function ObjectRoute({ id, tab }: { id: string; tab: ObjectTab }) {
  const [Page] = useState(() => objectPageModule?.ObjectPage ?? LazyObjectPage);
  return <Page id={id} tab={tab} />;
}

function RouteView({ route }: { route: ReturnType<typeof useRoute> }) {
  switch (route.page) {
    case "browser":
      return <BrowserPage />;
    case "explore":
      return <ExploreRoute />;
    case "object":
      return (
        <Suspense
          fallback={<div className="table-skeleton" role="status" aria-busy="true" aria-label="Loading" />}
        >
          <ObjectRoute key={route.id} id={route.id} tab={route.tab} />
        </Suspense>
      );
    default:
      return (
        <div className="empty-state">
          <h1>Page not found</h1>
          <p>
            Nothing lives at <code>{route.path}</code>.
          </p>
          <Link to="/" className="button">
            Go to objects
          </Link>
        </div>
      );
  }
}

export function App() {
  const status = useSession((s) => s.status);
  const client = useSession((s) => s.client);

  return (
    <QueryClientProvider client={queryClient}>
      {status === "checking" ? (
        <main className="splash" aria-busy="true">
          <p>Checking your session…</p>
        </main>
      ) : status === "signed-out" || !client ? (
        <LoginPage />
      ) : (
        <div className="shell">
          <TopBar />
          <main className="main">
            <Routes />
          </main>
        </div>
      )}
      <Notifications />
    </QueryClientProvider>
  );
}
