import { UsersAdmin } from "../../features/accounts/components/UsersAdmin";
import { useDocumentTitle } from "../../shared/hooks/use-document-title";
import { useSession } from "../../shared/session/session-store";

export function UsersPage() {
  const admin = useSession((s) => s.person?.admin === true);
  useDocumentTitle("Users");
  return (
    <div className="page users-page">
      <header className="page-header">
        <div>
          <h1>Users</h1>
          <p className="muted">Admins, listed in the server's heedy.json, manage who can sign in.</p>
        </div>
      </header>
      {admin ? (
        <UsersAdmin />
      ) : (
        <div className="empty-state warning">
          <h2>Only for admins</h2>
          <p>Your account is not an admin on this server.</p>
        </div>
      )}
    </div>
  );
}
