import { useEffect } from "react";
import { useSession } from "./session-store";

/** How often a person's page asks whether its cookie session still exists. */
const CHECK_MS = 30_000;

/**
 * A cookie session ended elsewhere (signed out from another device, password changed) does not
 * make requests fail: heedy treats an unknown cookie as "public", and public reads answer empty
 * lists. So a person's page asks `/frontend_context` now and then, and whenever the tab comes
 * back into view, and goes back to sign-in once nobody is signed in.
 */
export function usePersonWatch(): void {
  const mode = useSession((s) => s.mode);
  useEffect(() => {
    if (mode !== "person") return;
    const check = () => void useSession.getState().refreshPerson();
    const onVisible = () => {
      if (document.visibilityState === "visible") check();
    };
    const timer = setInterval(check, CHECK_MS);
    window.addEventListener("focus", check);
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      clearInterval(timer);
      window.removeEventListener("focus", check);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [mode]);
}
