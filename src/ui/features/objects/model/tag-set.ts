/** Splits a heedy set string (tags, scopes); the server returns elements in any order (contract 3). */
export function splitSet(value: string | undefined): string[] {
  const set = new Set<string>();
  for (const p of (value ?? "").split(/\s+/)) if (p) set.add(p);
  return [...set].sort((a, b) => a.localeCompare(b));
}
