import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { ErrorMessage } from "./ErrorMessage";

/** "Loading…", the error as a sentence, or the loaded view: the three states of a card's query. */
export function QueryState<T>({
  query,
  children,
}: {
  query: UseQueryResult<T>;
  children(data: T): ReactNode;
}) {
  if (query.isPending) return <p className="muted">Loading…</p>;
  if (query.isError)
    return (
      <p role="alert">
        <ErrorMessage error={query.error} />
      </p>
    );
  return <>{children(query.data)}</>;
}
