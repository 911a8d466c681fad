import { useState } from "react";
import { useApps, useObjectCounts } from "../../features/apps/api/apps";
import { AppsList } from "../../features/apps/components/AppsList";
import { CreateAppDialog } from "../../features/apps/components/CreateAppDialog";
import { useDocumentTitle } from "../../shared/hooks/use-document-title";
import { errorDetail } from "../../shared/notifications/notification-store";
import { appPath } from "../router";

export function AppsPage() {
  const apps = useApps();
  const counts = useObjectCounts();
  const [creating, setCreating] = useState(false);
  useDocumentTitle("Apps");
  return (
    <div className="page apps-page">
      <header className="page-header">
        <div>
          <h1>Apps</h1>
          <p className="muted">
            Each app (a logger, a script, a dashboard) signs in with its own token and gets only the scopes
            you give it.
          </p>
        </div>
        <button type="button" className="button primary" onClick={() => setCreating(true)}>
          New app
        </button>
      </header>
      {apps.isError ? (
        <div className="empty-state" role="alert">
          <h2>Could not list apps</h2>
          <p>{errorDetail(apps.error)}</p>
        </div>
      ) : apps.isPending ? (
        <div className="table-skeleton" role="status" aria-busy="true" aria-label="Loading apps" />
      ) : apps.data.length === 0 ? (
        <div className="empty-state">
          <h2>No apps yet</h2>
          <p>Create one to give a script or device a token with exactly the access it needs.</p>
        </div>
      ) : (
        <AppsList apps={apps.data} counts={counts.data} appHref={appPath} />
      )}
      <CreateAppDialog open={creating} onClose={() => setCreating(false)} appHref={appPath} />
    </div>
  );
}
