/** The person's account, sessions, and (admins) users: queries and mutations. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { UserCreate, UserData } from "../../../../client/index";
import { queryKeys } from "../../../shared/api/query-keys";
import { usePerson, useSession } from "../../../shared/session/session-store";

function useUsername(): string {
  const username = useSession((s) => s.person?.user.username);
  if (!username) throw new Error("No person is signed in");
  return username;
}

export function useProfile() {
  const person = usePerson();
  const username = useUsername();
  return useQuery({
    queryKey: [...queryKeys.users(), username] as const,
    meta: { inlineError: true },
    queryFn: ({ signal }) => person.users.get(username).read({ signal }),
  });
}

export function useUpdateProfile() {
  const person = usePerson();
  const username = useUsername();
  const queryClient = useQueryClient();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: async (fields: { name: string; description: string }) => {
      await person.users.get(username).update(fields);
      return fields;
    },
    onSuccess: (fields) => {
      queryClient.setQueryData<UserData>([...queryKeys.users(), username], (old) =>
        old ? { ...old, ...fields } : old,
      );
      // The top bar shows the name.
      void useSession.getState().refreshPerson();
    },
  });
}

/** The old password is checked by the server (`old_password`); every other session ends. */
export function useChangePassword() {
  const person = usePerson();
  const username = useUsername();
  const queryClient = useQueryClient();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: (input: { oldPassword: string; newPassword: string }) =>
      person.users.get(username).update({ password: input.newPassword, old_password: input.oldPassword }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.sessions(username) }),
  });
}

export function useSessions() {
  const person = usePerson();
  const username = useUsername();
  return useQuery({
    queryKey: queryKeys.sessions(username),
    meta: { inlineError: true },
    queryFn: ({ signal }) => person.users.get(username).sessions({ signal }),
  });
}

export function useEndSession() {
  const person = usePerson();
  const username = useUsername();
  const queryClient = useQueryClient();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: (sessionid: string) => person.users.get(username).endSession(sessionid),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.sessions(username) }),
  });
}

export function useUsers() {
  const person = usePerson();
  return useQuery({
    queryKey: queryKeys.users(),
    meta: { inlineError: true },
    queryFn: async ({ signal }) => (await person.users.list({ signal })).map((u) => u.data as UserData),
  });
}

export function useAdmins() {
  const person = usePerson();
  return useQuery({
    queryKey: queryKeys.admins(),
    meta: { inlineError: true },
    queryFn: ({ signal }) => person.admins.list({ signal }),
  });
}

export function useCreateUser() {
  const person = usePerson();
  const queryClient = useQueryClient();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: (fields: UserCreate) => person.users.create(fields),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.users() }),
  });
}

export function useDeleteUser() {
  const person = usePerson();
  const queryClient = useQueryClient();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: (username: string) => person.users.get(username).delete(),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.admins() });
      return queryClient.invalidateQueries({ queryKey: queryKeys.users() });
    },
  });
}

export function useSetAdmin() {
  const person = usePerson();
  const queryClient = useQueryClient();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: ({ username, admin }: { username: string; admin: boolean }) =>
      admin ? person.admins.grant(username) : person.admins.revoke(username),
    // The checkbox follows the click at once; a refusal puts it back when the list is re-read.
    onMutate: async ({ username, admin }) => {
      // A read still in flight would put the old list back over this one.
      await queryClient.cancelQueries({ queryKey: queryKeys.admins() });
      queryClient.setQueryData<string[]>(queryKeys.admins(), (old) => {
        const set = new Set(old ?? []);
        if (admin) set.add(username);
        else set.delete(username);
        return [...set].sort();
      });
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.admins() }),
  });
}
