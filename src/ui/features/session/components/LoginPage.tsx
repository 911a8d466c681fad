import { type FormEvent, useId, useState } from "react";
import { LOGO_URL } from "../../../shared/brand/logo";
import { useDocumentTitle } from "../../../shared/hooks/use-document-title";
import { type LoginProblem, useSession } from "../../../shared/session/session-store";

const PROBLEM_TITLES: Record<LoginProblem, string> = {
  token_rejected: "Token rejected",
  unreachable: "Server unreachable",
  not_heedy: "Not a heedy server",
  failed: "Sign-in failed",
  wrong_password: "Wrong username or password",
  rate_limited: "Too many attempts",
  session_ended: "Signed out",
};

/** Problems that belong beside the password form rather than the token form. */
const PERSON_PROBLEMS: ReadonlySet<LoginProblem> = new Set([
  "wrong_password",
  "rate_limited",
  "session_ended",
]);

export function LoginPage() {
  const id = useId();
  const signIn = useSession((s) => s.signIn);
  const signInPerson = useSession((s) => s.signInPerson);
  const loginError = useSession((s) => s.loginError);
  const [url, setUrl] = useState(() =>
    (useSession.getState().url || window.location.origin).replace(/\/$/, ""),
  );
  const [token, setToken] = useState("");
  const [remember, setRemember] = useState(false);
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [pending, setPending] = useState<"app" | "person" | null>(null);
  const [lastTried, setLastTried] = useState<"app" | "person" | null>(null);
  useDocumentTitle("Sign in");

  const personError =
    loginError && (lastTried === "person" || (lastTried === null && PERSON_PROBLEMS.has(loginError.problem)))
      ? loginError
      : null;
  const appError = loginError && !personError ? loginError : null;

  const submitToken = async (e: FormEvent) => {
    e.preventDefault();
    if (!token.trim()) return;
    setPending("app");
    setLastTried("app");
    const ok = await signIn(url, token, remember);
    setPending(null);
    if (!ok) document.getElementById(`${id}-token`)?.focus();
  };

  const submitPassword = async (e: FormEvent) => {
    e.preventDefault();
    if (!username.trim() || !password) return;
    setPending("person");
    setLastTried("person");
    const ok = await signInPerson(username.trim(), password);
    setPending(null);
    if (!ok) {
      setPassword("");
      document.getElementById(`${id}-password`)?.focus();
    }
  };

  return (
    <main className="login">
      <div className="login-layout">
        <header className="login-header">
          <img src={LOGO_URL} alt="" width="40" height="40" />
          <h1 id={`${id}-title`}>Sign in to heedy explorer</h1>
        </header>
        <div className="login-cards">
          <form className="card login-card" onSubmit={submitPassword} aria-label="Log in with your password">
            <h2>As a person</h2>
            <p className="muted">
              For you: all your objects across your apps, your apps' scopes and tokens, and your account.
            </p>
            <div className="field">
              <label htmlFor={`${id}-username`}>Username</label>
              <input
                id={`${id}-username`}
                type="text"
                autoComplete="username"
                autoCapitalize="none"
                spellCheck={false}
                value={username}
                onChange={(e) => setUsername(e.target.value)}
                required
              />
            </div>
            <div className="field">
              <label htmlFor={`${id}-password`}>Password</label>
              <input
                id={`${id}-password`}
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                aria-invalid={personError?.problem === "wrong_password" ? true : undefined}
                aria-describedby={personError ? `${id}-person-error` : undefined}
                required
              />
            </div>
            <p className="hint">A browser session on this server; the explorer never sees its secret.</p>
            {personError && (
              <div
                id={`${id}-person-error`}
                className={`notice error problem-${personError.problem}`}
                role="alert"
              >
                <strong>{PROBLEM_TITLES[personError.problem]}</strong>
                <span>{personError.message}</span>
              </div>
            )}
            <button
              type="submit"
              className="button primary wide"
              disabled={pending !== null || !username.trim() || !password}
            >
              {pending === "person" ? "Checking password…" : "Log in"}
            </button>
          </form>

          <form
            className="card login-card"
            onSubmit={submitToken}
            aria-label="Sign in to heedy explorer as an app"
          >
            <h2>As an app</h2>
            <p className="muted">
              For one app: exactly what its access token can reach. Find it in heedy under Apps, or print it
              with the server's CLI.
            </p>
            <div className="field">
              <label htmlFor={`${id}-url`}>Server URL</label>
              <input
                id={`${id}-url`}
                type="url"
                inputMode="url"
                autoComplete="url"
                value={url}
                onChange={(e) => setUrl(e.target.value)}
                required
              />
            </div>
            <div className="field">
              <label htmlFor={`${id}-token`}>App token</label>
              <input
                id={`${id}-token`}
                type="password"
                autoComplete="off"
                spellCheck={false}
                value={token}
                onChange={(e) => setToken(e.target.value)}
                aria-invalid={appError?.problem === "token_rejected" ? true : undefined}
                aria-describedby={appError ? `${id}-error` : undefined}
                required
              />
            </div>
            <label className="checkbox">
              <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
              Remember on this device
            </label>
            <p className="hint">
              {remember
                ? "The token is kept in this browser's local storage until you sign out."
                : "The token is kept only for this tab and forgotten when you close it."}
            </p>
            {appError && (
              <div id={`${id}-error`} className={`notice error problem-${appError.problem}`} role="alert">
                <strong>{PROBLEM_TITLES[appError.problem]}</strong>
                <span>{appError.message}</span>
              </div>
            )}
            <button
              type="submit"
              className="button primary wide"
              disabled={pending !== null || !token.trim()}
            >
              {pending === "app" ? "Checking token…" : "Sign in"}
            </button>
          </form>
        </div>
      </div>
    </main>
  );
}
