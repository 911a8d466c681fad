/** UI state of the object browser (zustand): kept while you visit an object and come back. */
import { create } from "zustand";

export type SortColumn = "name" | "type" | "key" | "last_modified" | "access";

interface BrowserState {
  text: string;
  tags: string[];
  key: string;
  type: string;
  sort: { column: SortColumn; descending: boolean };
  setText(text: string): void;
  toggleTag(tag: string): void;
  setKey(key: string): void;
  setType(type: string): void;
  sortBy(column: SortColumn): void;
  clear(): void;
}

export const useBrowserState = create<BrowserState>()((set) => ({
  text: "",
  tags: [],
  key: "",
  type: "",
  sort: { column: "name", descending: false },
  setText: (text) => set({ text }),
  toggleTag: (tag) =>
    set((s) => ({ tags: s.tags.includes(tag) ? s.tags.filter((t) => t !== tag) : [...s.tags, tag] })),
  setKey: (key) => set({ key }),
  setType: (type) => set({ type }),
  sortBy: (column) =>
    set((s) => ({
      sort: {
        column,
        descending: s.sort.column === column ? !s.sort.descending : column === "last_modified",
      },
    })),
  clear: () => set({ text: "", tags: [], key: "", type: "" }),
}));
