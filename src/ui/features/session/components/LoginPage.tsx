import { type FormEvent, useId, useState } from "react";
import { useDocumentTitle } from "../../../shared/hooks/use-document-title";
import { useSession } from "../../../shared/session/session-store";

const PROBLEM_TITLES = {
  token_rejected: "Token rejected",
  unreachable: "Server unreachable",
  not_heedy: "Not a heedy server",
  failed: "Sign-in failed",
} as const;

export function LoginPage() {
  const id = useId();
  const signIn = useSession((s) => s.signIn);
  const loginError = useSession((s) => s.loginError);
  const [url, setUrl] = useState(() =>
    (useSession.getState().url || window.location.origin).replace(/\/$/, ""),
  );
  const [token, setToken] = useState("");
  const [remember, setRemember] = useState(false);
  const [pending, setPending] = useState(false);
  useDocumentTitle("Sign in");

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!token.trim()) return;
    setPending(true);
    const ok = await signIn(url, token, remember);
    setPending(false);
    if (!ok) document.getElementById(`${id}-token`)?.focus();
  };

  return (
    <main className="login">
      <form className="card login-card" onSubmit={submit} aria-labelledby={`${id}-title`}>
        <div className="brand-large" aria-hidden="true">
          <img src="/favicon.svg" alt="" width="40" height="40" />
        </div>
        <h1 id={`${id}-title`}>Sign in to heedy explorer</h1>
        <p className="muted">
          Use an app's access token. You can find it in heedy under Apps, or print it with the server's CLI.
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
            autoComplete="current-password"
            spellCheck={false}
            value={token}
            onChange={(e) => setToken(e.target.value)}
            aria-invalid={loginError?.problem === "token_rejected" ? true : undefined}
            aria-describedby={loginError ? `${id}-error` : undefined}
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
        {loginError && (
          <div id={`${id}-error`} className={`notice error problem-${loginError.problem}`} role="alert">
            <strong>{PROBLEM_TITLES[loginError.problem]}</strong>
            <span>{loginError.message}</span>
          </div>
        )}
        <button type="submit" className="button primary wide" disabled={pending || !token.trim()}>
          {pending ? "Checking token…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
