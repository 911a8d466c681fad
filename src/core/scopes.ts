/**
 * heedy's permission model (contract section 7), as pure functions so the server enforces it and
 * the browser explains it with the same code.
 */

/** Splits a space-separated set string; `*` absorbs everything (contract 3). */
export function scopeSet(value: string | readonly string[]): Set<string> {
  const parts = typeof value === "string" ? value.split(/\s+/) : value;
  const set = new Set<string>();
  for (const p of parts) if (p !== "") set.add(p);
  if (set.has("*")) return new Set(["*"]);
  return set;
}

/** The wire form of a set: de-duplicated, `*` alone when present, otherwise sorted for stable output. */
export function formatScopeSet(set: Iterable<string>): string {
  const s = scopeSet([...set]);
  return [...s].sort().join(" ");
}

/** 7.1: the app has X if its set holds X, the part of X before the first ":", or `*`. */
export function appHasScope(appScopes: ReadonlySet<string>, wanted: string): boolean {
  if (appScopes.has("*") || appScopes.has(wanted)) return true;
  const colon = wanted.indexOf(":");
  return colon > 0 && appScopes.has(wanted.slice(0, colon));
}

/** The object fields that decide access. */
export interface AccessSubject {
  owner: string;
  app: string | null;
  type: string;
  owner_scope: string;
}

/** 7.3 without shares (heedy 0.6 has no REST endpoint to create them). */
export function userObjectAccess(username: string, obj: AccessSubject): Set<string> {
  if (obj.owner !== username) return new Set();
  if (obj.app === null) return new Set(["*"]);
  return scopeSet(obj.owner_scope);
}

/**
 * 7.4, with decision 3: an app's access to its own objects comes from its `self.objects…` scopes
 * alone, never through the owner's `owner_scope` (heedy's quirk 12.15).
 */
export function appObjectAccess(
  app: { id: string; owner: string; scope: string },
  obj: AccessSubject,
): Set<string> {
  const scopes = scopeSet(app.scope);
  if (obj.app === app.id) {
    if (appHasScope(scopes, "self.objects") || appHasScope(scopes, `self.objects.${obj.type}`)) {
      return new Set(["*"]);
    }
    return literalSubScopes(scopes, ["self.objects", `self.objects.${obj.type}`]);
  }
  // 7.4 step 1: reaching anything but its own objects goes through what the owner may read.
  const ownerAccess = userObjectAccess(app.owner, obj);
  if (!accessAllows(ownerAccess, "read")) return new Set();
  const prefix = obj.owner === app.owner ? "objects" : "shared";
  const avail = obj.owner === app.owner && obj.app === null ? scopeSet(obj.owner_scope) : ownerAccess;
  if (avail.has("*")) {
    if (appHasScope(scopes, prefix) || appHasScope(scopes, `${prefix}.${obj.type}`)) return new Set(["*"]);
    return literalSubScopes(scopes, [prefix, `${prefix}.${obj.type}`]);
  }
  const out = new Set<string>();
  for (const v of avail) {
    if (appHasScope(scopes, `${prefix}:${v}`) || appHasScope(scopes, `${prefix}.${obj.type}:${v}`))
      out.add(v);
  }
  return scopeSet([...out]);
}

/** Every `<s>` for which the list literally holds `<prefix>:<s>` for one of the prefixes. */
function literalSubScopes(scopes: ReadonlySet<string>, prefixes: readonly string[]): Set<string> {
  const out: string[] = [];
  for (const s of scopes) {
    for (const p of prefixes) {
      if (s.startsWith(`${p}:`)) out.push(s.slice(p.length + 1));
    }
  }
  return scopeSet(out);
}

/** Does an access set allow an object scope? `*` allows everything. */
export function accessAllows(access: ReadonlySet<string>, wanted: string): boolean {
  return access.has("*") || access.has(wanted);
}

/** 6.4: which fields need full `update`, and which are fine with `update:basic`. */
export const FULL_UPDATE_FIELDS = ["name", "owner", "app", "owner_scope"] as const;

export function canUpdateFields(access: ReadonlySet<string>, fields: readonly string[]): boolean {
  if (accessAllows(access, "update")) return true;
  if (!access.has("update:basic")) return false;
  return !fields.some((f) => (FULL_UPDATE_FIELDS as readonly string[]).includes(f));
}

/** The object scopes a person can give the owner, with what each one lets them do (UI and docs). */
export const OBJECT_SCOPES: ReadonlyArray<{ scope: string; label: string; explains: string }> = [
  { scope: "*", label: "Everything", explains: "The owner can do anything the app can with this object." },
  { scope: "read", label: "Read", explains: "The owner can see the object and read its data." },
  {
    scope: "update",
    label: "Update",
    explains: "The owner can change every field, including name and scopes.",
  },
  {
    scope: "update:basic",
    label: "Update basics",
    explains: "The owner can change description, tags, key and meta, but not name or scopes.",
  },
  { scope: "delete", label: "Delete", explains: "The owner can delete the object." },
  { scope: "write", label: "Write data", explains: "The owner can add and remove timeseries data." },
];

/** The app scope catalogue of `GET /api/server/scope` (contract 7.1 and 10). */
export function scopeCatalogue(types: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {
    "*": "Full access to everything the owner can do",
    owner: "Read, modify and delete the owner's account",
    "owner:read": "Read the owner's profile",
    "owner:update": "Modify the owner's profile",
    "owner:delete": "Delete the owner's account",
    users: "Read and modify the users the owner can access",
    "users:read": "Read the users the owner can read",
    "users:update": "Modify the users the owner can modify",
    "users:delete": "Delete the users the owner can delete",
    "self.objects": "Full access to the app's own objects",
    "self.objects:create": "Create objects belonging to the app",
    "self.objects:read": "Read the app's own objects",
    "self.objects:update": "Modify the app's own objects",
    "self.objects:delete": "Delete the app's own objects",
    "self.objects:write": "Write data to the app's own objects",
    objects: "Full access to the owner's objects",
    "objects:read": "Read the owner's objects",
    "objects:update": "Modify the owner's objects",
    "objects:delete": "Delete the owner's objects",
    "objects:write": "Write data to the owner's objects",
    shared: "Full access to objects shared with the owner",
    "shared:read": "Read objects shared with the owner",
  };
  for (const t of types) {
    out[`self.objects.${t}`] = `Full access to the app's own ${t} objects`;
    out[`self.objects.${t}:create`] = `Create ${t} objects belonging to the app`;
    out[`objects.${t}`] = `Full access to the owner's ${t} objects`;
    out[`objects.${t}:read`] = `Read the owner's ${t} objects`;
    out[`shared.${t}`] = `Full access to ${t} objects shared with the owner`;
  }
  return out;
}
