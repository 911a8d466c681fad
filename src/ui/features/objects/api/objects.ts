/** Objects: fetchers → queryOptions → hooks, and mutations that invalidate what they change. */
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  type HeedyObject,
  normalizeObject,
  type ObjectCreateFields,
  type ObjectUpdate,
  objectHandle,
} from "../../../../client/index";
import { objectUpdated } from "../../../shared/api/object-cache";
import { type ObjectFilters, queryKeys } from "../../../shared/api/query-keys";
import { notifySuccess } from "../../../shared/notifications/notification-store";
import { type ExplorerClient, useClient } from "../../../shared/session/session-store";

/** Objects the list reads at most (it renders only the rows in view). */
export const LIST_LIMIT = 100_000;

export function objectsQuery(client: ExplorerClient, filters: ObjectFilters) {
  return queryOptions({
    queryKey: queryKeys.objects(filters),
    meta: { inlineError: true },
    queryFn: async ({ signal }) => {
      const handles = await client.objects({
        tags: filters.tags.length > 0 ? filters.tags : undefined,
        key: filters.key || undefined,
        type: filters.type || undefined,
        app: filters.app,
        // The instant of the last write, where the server has it: the list sorts and shows it.
        modifiedTime: true,
        // heedy's default is 1,000; the list is virtual and meant for far more.
        limit: LIST_LIMIT,
        signal,
      });
      return handles.map((h) => h.data as HeedyObject);
    },
  });
}

export function objectQuery(client: ExplorerClient, id: string) {
  return queryOptions({
    queryKey: queryKeys.object(id),
    meta: { inlineError: true },
    queryFn: async ({ signal }) => (await client.objects.get(id, { signal })).data as HeedyObject,
  });
}

/** While the object loads, the row of a listing already in the cache stands in (instant navigation). */
export function useObject(id: string) {
  const queryClient = useQueryClient();
  return useQuery({
    ...objectQuery(useClient(), id),
    placeholderData: () => {
      for (const [, list] of queryClient.getQueriesData<HeedyObject[]>({
        queryKey: queryKeys.objectsAll(),
      })) {
        const hit = list?.find((o) => o.id === id);
        if (hit) return hit;
      }
      return undefined;
    },
  });
}

/** A client handle for cached object data, for the calls the client offers on objects. */
export function handleFor(client: ExplorerClient, data: HeedyObject) {
  return objectHandle(client, data);
}

export function useCreateObject() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: async (input: { name: string } & ObjectCreateFields) => {
      const { name, ...fields } = input;
      return (await client.objects.create(name, fields)).data as HeedyObject;
    },
    onSuccess: (created) => {
      queryClient.setQueryData(queryKeys.object(created.id), normalizeObject(created));
      return queryClient.invalidateQueries({ queryKey: queryKeys.objectsAll() });
    },
  });
}

/** Changes fields of an object; the merged record shows at once (see shared/api/object-cache.ts). */
export function useUpdateObject(object: HeedyObject, options: { inlineError?: boolean } = {}) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    meta: { inlineError: options.inlineError ?? false },
    mutationFn: async (fields: ObjectUpdate) => {
      const handle = handleFor(client, object);
      await handle.update(fields);
      return handle.data as HeedyObject;
    },
    onSuccess: (merged) => objectUpdated(queryClient, merged),
  });
}

/** `leave` runs before the cache entries go, so no open view re-reads the deleted object. */
export function useDeleteObject(leave: () => void) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (object: HeedyObject) => {
      await handleFor(client, object).delete();
      return object.id;
    },
    onSuccess: (id, object) => {
      // Here rather than in the caller: the confirmation dialog is gone once we leave the page.
      notifySuccess(`Deleted “${object.name}”`);
      // Gone from every cached listing before the list shows again: a stale row would read its
      // facts (length, last day) from a series that no longer exists, and get 403s.
      queryClient.setQueriesData<unknown>({ queryKey: queryKeys.objectsAll() }, (data: unknown) =>
        Array.isArray(data) ? (data as HeedyObject[]).filter((o) => o.id !== id) : data,
      );
      leave();
      queryClient.removeQueries({ queryKey: queryKeys.object(id) });
      queryClient.removeQueries({ queryKey: queryKeys.timeseriesAll(id) });
      return queryClient.invalidateQueries({ queryKey: queryKeys.objectsAll() });
    },
  });
}
