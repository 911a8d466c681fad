/**
 * What every feature does after changing an object's fields. PATCH answers only `{"result":"ok"}`
 * (contract 6.4), so the client merges the change the way the server applies it: show that merged
 * record at once, then re-read both the object and every listing. Objects (name, tags...), schema
 * and access all write objects, so this lives here rather than in one of them.
 */
import type { QueryClient } from "@tanstack/react-query";
import type { HeedyObject } from "../../../client/index";
import { queryKeys } from "./query-keys";

export function objectUpdated(queryClient: QueryClient, merged: HeedyObject): Promise<unknown> {
  queryClient.setQueryData(queryKeys.object(merged.id), merged);
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: queryKeys.object(merged.id) }),
    queryClient.invalidateQueries({ queryKey: queryKeys.objectsAll() }),
  ]);
}
