import { PasswordCard, ProfileCard, SessionsCard } from "../../features/accounts/components/AccountForms";
import { useDocumentTitle } from "../../shared/hooks/use-document-title";

export function AccountPage() {
  useDocumentTitle("Account");
  return (
    <div className="page account-page">
      <header className="page-header">
        <h1>Account</h1>
      </header>
      <div className="account-grid">
        <ProfileCard />
        <PasswordCard />
      </div>
      <SessionsCard />
    </div>
  );
}
