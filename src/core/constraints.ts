/**
 * Storage constraints by name, and the one place their wire wording lives. heedy passes its
 * SQLite's constraint text through verbatim (contract 6.2 step 7, 4.2), so that text is the wire
 * format on every store; stores report a name, the server renders it here, and the browser reads
 * a name back from the text here instead of matching database messages itself.
 */
export type ConstraintName =
  | "users.username"
  | "objects.key+app"
  | "objects.apps_only_key"
  | "apps.token_hash"
  | "sessions.token_hash"
  | "foreign_key";

const WORDING: Record<ConstraintName, string> = {
  "users.username": "UNIQUE constraint failed: users.username",
  "objects.key+app": "UNIQUE constraint failed: objects.key, objects.app",
  "objects.apps_only_key": "CHECK constraint failed: apps_only_key",
  "apps.token_hash": "UNIQUE constraint failed: apps.token_hash",
  "sessions.token_hash": "UNIQUE constraint failed: sessions.token_hash",
  foreign_key: "FOREIGN KEY constraint failed",
};

/** heedy's text for a broken constraint. */
export function constraintWording(name: ConstraintName): string {
  return WORDING[name];
}

/** The constraint an error text names, if it is one of heedy's constraint texts. */
export function constraintOf(text: string): ConstraintName | undefined {
  for (const [name, wording] of Object.entries(WORDING) as [ConstraintName, string][]) {
    if (text === wording || text.startsWith(`${wording} `)) return name;
  }
  return undefined;
}
