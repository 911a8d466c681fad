import { useId, useState } from "react";

/**
 * A token just made, shown this once: the server keeps only its hash (decision 4), so closing this
 * loses it for good; a reset makes a new one.
 */
export function TokenReveal({ token, appName }: { token: string; appName: string }) {
  const id = useId();
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token);
      setCopied("yes");
    } catch {
      // Clipboard refused (permissions, insecure origin): select the text so Ctrl+C works.
      (document.getElementById(`${id}-token`) as HTMLInputElement | null)?.select();
      setCopied("failed");
    }
  };
  return (
    <section className="token-reveal notice success" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>The access token of {appName}</h3>
      <p>Copy it now: it is shown only this once and cannot be read again. Resetting it makes a new one.</p>
      <div className="token-row">
        <label htmlFor={`${id}-token`} className="visually-hidden">
          Access token
        </label>
        <input
          type="text"
          id={`${id}-token`}
          className="code token-value"
          readOnly
          value={token}
          onFocus={(e) => e.target.select()}
        />
        <button type="button" className="button primary" onClick={copy}>
          {copied === "yes" ? "Copied" : "Copy token"}
        </button>
      </div>
      <p className="small" aria-live="polite">
        {copied === "yes"
          ? "The token is on the clipboard."
          : copied === "failed"
            ? "Copying was refused; the token is selected, press Ctrl+C."
            : ""}
      </p>
      <a href={`/#token=${encodeURIComponent(token)}`} target="_blank" rel="noopener noreferrer">
        Sign in to the explorer as this app (new tab)
      </a>
    </section>
  );
}
