import { QueryClientProvider } from "@tanstack/react-query";
import { lazy, type ReactNode, Suspense, useState } from "react";
import { objectQuery } from "../features/objects/api/objects";
import { LoginPage } from "../features/session/components/LoginPage";
import { preloadChart } from "../features/timeseries/components/Chart/LazyChart";
import { LeaveDialog } from "../shared/components/LeaveDialog";
import { Link } from "../shared/components/Link";
import { startLiveEvents, stopLiveEvents, useLiveSubscription } from "../shared/live/live-events";
import { type ExplorerClient, useSession } from "../shared/session/session-store";
import { usePersonWatch } from "../shared/session/use-person-watch";
import { ConnectionBanner } from "./ConnectionBanner";
import { ErrorBoundary } from "./ErrorBoundary";
import { Notifications } from "./Notifications";
import { createQueryClient } from "./query-client";
import { useRouteFocus } from "./route-focus";
import { type ObjectTab, parseRoute, useRoute } from "./router";
import { AccountPage } from "./routes/AccountPage";
import { AppPage } from "./routes/AppPage";
import { AppsPage } from "./routes/AppsPage";
import { BrowserPage } from "./routes/BrowserPage";
import { ExploreRoute } from "./routes/ExploreRoute";
import { UsersPage } from "./routes/UsersPage";
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

/**
 * A shared object link opened cold: the page's code loads while the session is checked, and its
 * object, plot and length are read as soon as the session is known, instead of each waiting for
 * the component that needs it (one round trip after another).
 */
const initialRoute = parseRoute(window.location.pathname, window.location.search);
if (initialRoute.page === "object") {
  void loadObjectPage().catch(() => undefined);
  void preloadChart().catch(() => undefined);
}

function prefetchObjectRoute(client: ExplorerClient): void {
  const route = parseRoute(window.location.pathname, window.location.search);
  if (route.page !== "object" || route.tab !== "data") return;
  // The plot and length queries live in the object page's chunks, not in the first screen's.
  const timeseriesApi = Promise.all([
    import("../shared/plot/plot-read"),
    import("../features/timeseries/api/series"),
    import("../shared/time/view-range"),
    import("../shared/time/zone"),
    import("../shared/plot/per"),
  ]);
  Promise.all([queryClient.fetchQuery(objectQuery(client, route.id)), timeseriesApi])
    .then(
      ([
        object,
        [{ plotQuery }, { lengthQuery }, { rangeFromSearch }, { currentZone }, { perFromSearch }],
      ]) => {
        if (object.type !== "timeseries") return;
        const params = new URLSearchParams(window.location.search);
        const range = rangeFromSearch(params);
        // The viewer's key: the same zone and aggregation, or the prefetch is read by nobody.
        const shape = { zone: currentZone(), per: perFromSearch(params) };
        void queryClient.prefetchQuery(plotQuery(client, object, range, shape));
        void queryClient.prefetchQuery(lengthQuery(client, object));
      },
    )
    .catch(() => undefined);
}

// A new session (or none) must never see the previous one's cached data. One events socket per
// session keeps the cache current (shared/live).
useSession.subscribe((state, previous) => {
  if (state.client !== previous.client) {
    queryClient.clear();
    if (state.client) {
      prefetchObjectRoute(state.client);
      startLiveEvents(state.client, queryClient);
    } else stopLiveEvents();
  }
  if (state.status === "signed-in" && previous.status !== "signed-in") preloadObjectPage();
});

function Routes() {
  const route = useRoute();
  useRouteFocus(route.page === "object" ? `object/${route.id}` : route.page);
  return (
    <ErrorBoundary
      resetKey={
        route.page === "object"
          ? `${route.id}/${route.tab}`
          : route.page === "app"
            ? `app/${route.id}`
            : route.page
      }
    >
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

/** Apps, account and users belong to a person; an app token cannot manage them (contract 5, 4). */
function PersonOnly({ children }: { children: ReactNode }) {
  const mode = useSession((s) => s.mode);
  if (mode === "person") return children;
  return (
    <div className="empty-state">
      <h1>Sign in as a person for this page</h1>
      <p>Apps, accounts and users are managed by a person signed in with a password; an app token cannot.</p>
      <Link to="/" className="button">
        Go to objects
      </Link>
    </div>
  );
}

function RouteView({ route }: { route: ReturnType<typeof useRoute> }) {
  switch (route.page) {
    case "browser":
      return <BrowserPage />;
    case "apps":
      return (
        <PersonOnly>
          <AppsPage />
        </PersonOnly>
      );
    case "app":
      return (
        <PersonOnly>
          <AppPage key={route.id} id={route.id} />
        </PersonOnly>
      );
    case "account":
      return (
        <PersonOnly>
          <AccountPage />
        </PersonOnly>
      );
    case "users":
      return (
        <PersonOnly>
          <UsersPage />
        </PersonOnly>
      );
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

/** What this app itself writes, from any tab: creates, renames and deletes reach the list. */
function FollowOwnApp() {
  const appId = useSession((s) => s.app?.id);
  useLiveSubscription(appId ? { event: "*", app: appId } : undefined);
  return null;
}

export function App() {
  usePersonWatch();
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
          {/* Native anchor behaviour: the browser moves focus to <main> (tabindex -1); the fragment
              handler ignores fragments without a token. */}
          <a className="skip-link" href="#main-content">
            Skip to content
          </a>
          <FollowOwnApp />
          <TopBar />
          <ConnectionBanner />
          <main className="main" id="main-content" tabIndex={-1}>
            <Routes />
          </main>
          <LeaveDialog />
        </div>
      )}
      <Notifications />
    </QueryClientProvider>
  );
}
