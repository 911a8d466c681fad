import { useEffect } from "react";

/** Names the tab after the view, so history entries and tab strips say where they lead. */
export function useDocumentTitle(title: string | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · heedy explorer` : "heedy explorer";
  }, [title]);
}
