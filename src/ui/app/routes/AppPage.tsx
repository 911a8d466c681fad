import { useApp } from "../../features/apps/api/apps";
import { AppDetails } from "../../features/apps/components/AppDetails";
import { Link } from "../../shared/components/Link";
import { useDocumentTitle } from "../../shared/hooks/use-document-title";
import { navigate } from "../../shared/navigation";
import { errorDetail } from "../../shared/notifications/notification-store";
import { objectPath } from "../router";

export function AppPage({ id }: { id: string }) {
  const app = useApp(id);
  useDocumentTitle(app.data ? `${app.data.name} · Apps` : "App");
  return (
    <div className="page app-page">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link to="/apps">Apps</Link> <span aria-hidden="true">/</span> {app.data?.name ?? id}
      </nav>
      {app.isError ? (
        <div className="empty-state" role="alert">
          <h1>App not found</h1>
          <p>{errorDetail(app.error)}</p>
          <Link to="/apps" className="button">
            Back to apps
          </Link>
        </div>
      ) : app.data ? (
        <AppDetails
          app={app.data}
          objectHref={(o) => objectPath(o)}
          leave={() => navigate("/apps", { replace: true })}
        />
      ) : (
        <div className="table-skeleton" role="status" aria-busy="true" aria-label="Loading the app" />
      )}
    </div>
  );
}
