/**
 * `GET /api/server/capabilities`: which server this is (heedy or heedy-explorer, and its version).
 * The top bar names it and the Access tab warns about heedy 0.6's own behaviour; it never changes
 * during a session, so it is read once.
 */
import { queryOptions, useQuery } from "@tanstack/react-query";
import type { ServerCapabilities } from "../../../client/index";
import { type ExplorerClient, useClient } from "../session/session-store";
import { queryKeys } from "./query-keys";

export function capabilitiesQuery(client: ExplorerClient) {
  return queryOptions({
    queryKey: queryKeys.capabilities(),
    queryFn: ({ signal }) => client.capabilities({ signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useCapabilities() {
  return useQuery(capabilitiesQuery(useClient()));
}

/** The server as the top bar names it ("heedy-explorer 0.1.0", "heedy 0.6.0"); "" until known. */
export function serverName(capabilities: ServerCapabilities | undefined): string {
  if (capabilities === undefined) return "";
  return `${capabilities.server === "heedy" ? "heedy" : "heedy-explorer"} ${capabilities.version}`.trim();
}
