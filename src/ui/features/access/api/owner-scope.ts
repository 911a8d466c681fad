/** The Access tab's one write: the object's `owner_scope` (contract 7.2-7.3). */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type HeedyObject, objectHandle } from "../../../../client/index";
import { objectUpdated } from "../../../shared/api/object-cache";
import { useClient } from "../../../shared/session/session-store";

/** Errors show beside the form (`inlineError`); a 401 still ends the session. */
export function useSaveOwnerScope(object: HeedyObject) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: async (ownerScope: string) => {
      const handle = objectHandle(client, object);
      await handle.update({ owner_scope: ownerScope });
      return handle.data as HeedyObject;
    },
    onSuccess: (merged) => objectUpdated(queryClient, merged),
  });
}
