import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { isAbortError } from "../../client/index";
import { useConnection } from "../shared/notifications/connection-store";
import { useSession } from "../shared/session/session-store";

/** First probe after 1 s, then backing off to one every 10 s. */
const PROBE_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 10_000];

/**
 * The one sign that the server is gone: a banner while it does not answer, probing
 * `GET /api/server/version` until it does, then gone by itself, with the failed views re-read.
 */
export function ConnectionBanner() {
  const unreachable = useConnection((s) => s.unreachable);
  const client = useSession((s) => s.client);
  const queryClient = useQueryClient();

  useEffect(() => {
    if (!unreachable || !client) return;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout>;
    const controller = new AbortController();
    const probe = () => {
      client.version({ signal: controller.signal }).then(
        () => {
          useConnection.getState().markReachable();
          void queryClient.refetchQueries({ predicate: (q) => q.state.status === "error" });
        },
        (err: unknown) => {
          if (isAbortError(err)) return;
          // Any answer means the server is up again; only a dropped connection keeps the banner.
          if ((err as { status?: number }).status) {
            useConnection.getState().markReachable();
            return;
          }
          schedule();
        },
      );
    };
    const schedule = () => {
      const delay = PROBE_DELAYS_MS[Math.min(attempt++, PROBE_DELAYS_MS.length - 1)]!;
      timer = setTimeout(probe, delay);
    };
    schedule();
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [unreachable, client, queryClient]);

  if (!unreachable) return null;
  return (
    <div className="connection-banner" role="status" data-testid="connection-banner">
      <span className="connection-dot" aria-hidden="true" />
      Server unreachable, retrying… <span className="muted">Your unsent changes stay on this page.</span>
    </div>
  );
}
