/** A person's apps: queries, the scope catalogue, and mutations that invalidate what they change. */
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { AppCreate, AppData, HeedyObject, OwnedAppUpdate, Person } from "../../../../client/index";
import { queryKeys } from "../../../shared/api/query-keys";
import { DEFAULT_APP_CATALOGUE } from "../../../shared/scopes/scope-model";
import { usePerson } from "../../../shared/session/session-store";
import { countByApp } from "../model/app-list";

export function appsQuery(person: Person) {
  return queryOptions({
    queryKey: queryKeys.appsAll(),
    meta: { inlineError: true },
    queryFn: ({ signal }) => person.apps.list({ signal }),
  });
}

export function useApps() {
  return useQuery(appsQuery(usePerson()));
}

export function useApp(id: string) {
  const person = usePerson();
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: queryKeys.app(id),
    meta: { inlineError: true },
    queryFn: ({ signal }) => person.apps.get(id, { signal }),
    placeholderData: () => queryClient.getQueryData<AppData[]>(queryKeys.appsAll())?.find((a) => a.id === id),
  });
}

/** How many objects each app holds, from one listing of everything the person can see. */
export function useObjectCounts() {
  const person = usePerson();
  return useQuery({
    queryKey: queryKeys.objectCounts(),
    meta: { inlineError: true },
    queryFn: async ({ signal }) =>
      countByApp((await person.objects({ signal })).map((o) => o.data as HeedyObject)),
  });
}

/** The app's own objects, for its page. */
export function useAppObjects(id: string) {
  const person = usePerson();
  return useQuery({
    queryKey: queryKeys.objects({ tags: [], key: "", type: "", app: id }),
    meta: { inlineError: true },
    queryFn: async ({ signal }) =>
      (await person.objects({ app: id, signal })).map((o) => o.data as HeedyObject),
  });
}

/**
 * `GET /api/server/scope` with heedy's explanations; a server that will not say (an old heedy)
 * leaves the explorer's own catalogue, which is the same text for this server.
 */
export function useScopeCatalogue() {
  const person = usePerson();
  return useQuery({
    queryKey: queryKeys.scopeCatalogue(),
    meta: { inlineError: true },
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: async ({ signal }) => {
      try {
        return await person.scopes({ signal });
      } catch (err) {
        if (signal.aborted) throw err;
        return { ...DEFAULT_APP_CATALOGUE };
      }
    },
  });
}

export function useCreateApp() {
  const person = usePerson();
  const queryClient = useQueryClient();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: (fields: AppCreate) => person.apps.create(fields),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.appsAll() }),
  });
}

export function useUpdateApp(id: string) {
  const person = usePerson();
  const queryClient = useQueryClient();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: async (fields: OwnedAppUpdate) => {
      await person.apps.update(id, fields);
      return fields;
    },
    onSuccess: (fields) => {
      queryClient.setQueryData<AppData>(queryKeys.app(id), (old) => (old ? { ...old, ...fields } : old));
      return queryClient.invalidateQueries({ queryKey: queryKeys.appsAll() });
    },
  });
}

export function useResetToken(id: string) {
  const person = usePerson();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: () => person.apps.resetToken(id),
  });
}

export function useDeleteApp(leave: () => void) {
  const person = usePerson();
  const queryClient = useQueryClient();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: async (id: string) => {
      await person.apps.delete(id);
      return id;
    },
    onSuccess: (id) => {
      leave();
      queryClient.removeQueries({ queryKey: queryKeys.app(id) });
      // Its objects went with it.
      void queryClient.invalidateQueries({ queryKey: queryKeys.objectsAll() });
      return queryClient.invalidateQueries({ queryKey: queryKeys.appsAll() });
    },
  });
}
