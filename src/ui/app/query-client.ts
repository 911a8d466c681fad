/**
 * The app's react-query client: the one error path (every failed query and mutation reaches the
 * notification store, shared/notifications) and the retry policy.
 */
import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { errorKind } from "../../client/index";
import "../shared/api/query-meta";
import { useConnection } from "../shared/notifications/connection-store";
import { reportError } from "../shared/notifications/notification-store";

// Any answer from the server ends the "unreachable" banner at once, before its next probe.
const reachable = () => useConnection.getState().markReachable();

export function createQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (err, query) => reportError(err, { quiet: query.meta?.inlineError === true }),
      onSuccess: reachable,
    }),
    mutationCache: new MutationCache({
      onError: (err, _vars, _ctx, mutation) =>
        reportError(err, { quiet: mutation.meta?.inlineError === true }),
      onSuccess: reachable,
    }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        // Only a dropped connection is worth retrying; heedy's refusals are final.
        retry: (count, err) => count < 2 && errorKind(err) === "unreachable",
      },
    },
  });
}

/** The app's one cache, created before React so start-up reads can fill it (app/early-start.ts). */
export const queryClient = createQueryClient();
