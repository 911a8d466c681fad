/** An object's access scopes as the short words its chips show (AccessChips, the first paint). */
export const ACCESS_WORDS: Readonly<Record<string, string>> = {
  "*": "full",
  read: "read",
  update: "update",
  "update:basic": "update basics",
  delete: "delete",
  write: "write",
};
