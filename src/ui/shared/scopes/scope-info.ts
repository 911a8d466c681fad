/** What an app's scopes allow, in words, computed with the server's own rules (core/scopes.ts). */
import { appHasScope, scopeCatalogue, scopeSet } from "../../../core/scopes";

const CATALOGUE = scopeCatalogue(["timeseries"]);

export function describeAppScope(scope: string): { scope: string; explains: string }[] {
  return [...scopeSet(scope)]
    .sort()
    .map((s) => ({ scope: s, explains: CATALOGUE[s] ?? "A scope this explorer does not know" }));
}

/** Whether the app can see (some of) its own objects: `self.objects:read` or a per-type grant. */
export function canListOwnObjects(scope: string): boolean {
  const set = scopeSet(scope);
  if (appHasScope(set, "self.objects:read")) return true;
  for (const s of set) {
    if (s.startsWith("self.objects.") && (!s.includes(":") || s.endsWith(":read"))) return true;
  }
  return false;
}

export function canCreateObjects(scope: string, type = "timeseries"): boolean {
  const set = scopeSet(scope);
  return appHasScope(set, "self.objects:create") || appHasScope(set, `self.objects.${type}:create`);
}

/** A short summary for the top bar. */
export function scopeSummary(scope: string): string {
  const set = scopeSet(scope);
  if (set.has("*")) return "full access";
  if (set.size === 0) return "no scopes";
  return set.size === 1 ? [...set][0]! : `${set.size} scopes`;
}
