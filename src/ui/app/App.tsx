import { QueryClientProvider } from "@tanstack/react-query";
import { lazy, type ReactNode, Suspense, useEffect, useState } from "react";
import { LoginPage } from "../features/session/components/LoginPage";
import { LeaveDialog } from "../shared/components/LeaveDialog";
import { Link } from "../shared/components/Link";
import { endFirstPaint } from "../shared/first-paint";
import { useLiveSubscription } from "../shared/live/live-events";
import { useSession } from "../shared/session/session-store";
import { usePersonWatch } from "../shared/session/use-person-watch";
import { ConnectionBanner } from "./ConnectionBanner";
import { ErrorBoundary } from "./ErrorBoundary";
import { Notifications } from "./Notifications";
import { loadedObjectPage, loadObjectPage } from "./object-page-loader";
import { queryClient } from "./query-client";
import { useRouteFocus } from "./route-focus";
import { type ObjectTab, useRoute } from "./router";
import { BrowserPage } from "./routes/BrowserPage";
import { ExploreRoute } from "./routes/ExploreRoute";
import { TopBar } from "./TopBar";
import "../shared/styles/app.css";

function Routes() {
  const route = useRoute();
  useRouteFocus(route.page === "object" ? `object/${route.id}` : route.page);
  // A first paint is of an object's Data tab: any other page replaces it at once.
  const painted = route.page === "object" && route.tab === "data" ? route.id : null;
  useEffect(() => {
    if (painted === null) endFirstPaint();
  }, [painted]);
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
 * The object page, rendered directly once its chunk is in. Until then a skeleton stands in, and
 * the chunk's arrival re-renders: no Suspense, whose reveal React holds back by up to 300 ms after
 * a fallback was shown (measured on a cold shared link). A failed load reaches the error boundary.
 */
function ObjectRoute({ id, tab }: { id: string; tab: ObjectTab }) {
  const [Page, setPage] = useState(loadedObjectPage);
  const [failure, setFailure] = useState<Error | null>(null);
  useEffect(() => {
    if (Page) return;
    let mounted = true;
    loadObjectPage().then(
      (m) => mounted && setPage(() => m.ObjectPage),
      (err: unknown) => mounted && setFailure(err instanceof Error ? err : new Error(String(err))),
    );
    return () => {
      mounted = false;
    };
  }, [Page]);
  if (failure) throw failure;
  if (!Page) return <div className="table-skeleton" role="status" aria-busy="true" aria-label="Loading" />;
  return <Page id={id} tab={tab} />;
}

// A person's pages are one chunk (vite-route-chunks), loaded on first use: the shell a shared
// object link evaluates before its first chart stays smaller by their code.
const AppsPage = lazy(() => import("./routes/AppsPage").then((m) => ({ default: m.AppsPage })));
const AppPage = lazy(() => import("./routes/AppPage").then((m) => ({ default: m.AppPage })));
const AccountPage = lazy(() => import("./routes/AccountPage").then((m) => ({ default: m.AccountPage })));
const UsersPage = lazy(() => import("./routes/UsersPage").then((m) => ({ default: m.UsersPage })));

/** Apps, account and users belong to a person; an app token cannot manage them (contract 5, 4). */
function PersonOnly({ children }: { children: ReactNode }) {
  const mode = useSession((s) => s.mode);
  if (mode === "person")
    return (
      <Suspense
        fallback={<div className="table-skeleton" role="status" aria-busy="true" aria-label="Loading" />}
      >
        {children}
      </Suspense>
    );
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
      return <ObjectRoute key={route.id} id={route.id} tab={route.tab} />;
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
  useEffect(() => {
    if (status !== "signed-in") endFirstPaint();
  }, [status]);

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
