/**
 * The scope editor's model: which scopes exist (grouped as heedy groups them), which ones another
 * chosen scope already implies, the presets, and a preview in plain words. Pure, so it is tested
 * without a browser; the implication rule is core's `appHasScope` (the server's own).
 */
import { appHasScope, formatScopeSet, OBJECT_SCOPES, scopeCatalogue, scopeSet } from "../../../core/scopes";

export interface ScopeOption {
  scope: string;
  /** heedy's one-line explanation (`GET /api/server/scope`), or ours for object scopes. */
  explains: string;
  label?: string;
}

export interface ScopeGroup {
  id: string;
  title: string;
  options: ScopeOption[];
}

export interface ScopePreset {
  id: string;
  label: string;
  scope: string;
  explains: string;
}

const GROUPS: { id: string; title: string; test(scope: string): boolean }[] = [
  { id: "self", title: "The app's own objects (self.objects…)", test: (s) => s.startsWith("self.objects") },
  { id: "objects", title: "Your other objects (objects…)", test: (s) => /^objects[.:]?/.test(s) },
  { id: "owner", title: "Your account (owner…)", test: (s) => /^owner(:|$)/.test(s) },
  { id: "users", title: "Other users (users…)", test: (s) => /^users(:|$)/.test(s) },
  { id: "rest", title: "Everything else", test: () => true },
];

/** Groups a scope catalogue the way heedy's own app dialog does; `*` comes first in "the rest". */
export function groupCatalogue(catalogue: Readonly<Record<string, string>>): ScopeGroup[] {
  const groups = GROUPS.map((g) => ({ id: g.id, title: g.title, options: [] as ScopeOption[] }));
  const keys = Object.keys(catalogue).sort((a, b) => (a === "*" ? -1 : b === "*" ? 1 : a.localeCompare(b)));
  for (const scope of keys) {
    const index = GROUPS.findIndex((g) => g.test(scope));
    groups[index]!.options.push({ scope, explains: catalogue[scope]! });
  }
  return groups.filter((g) => g.options.length > 0);
}

/** The catalogue this explorer knows without asking (the server's, for `timeseries`). */
export const DEFAULT_APP_CATALOGUE: Readonly<Record<string, string>> = scopeCatalogue(["timeseries"]);

/** The owner_scope choices of an object, as one group. */
export const OBJECT_SCOPE_GROUPS: ScopeGroup[] = [
  {
    id: "object",
    title: "Object scopes",
    options: OBJECT_SCOPES.map(({ scope, label, explains }) => ({ scope, label, explains })),
  },
];

/**
 * The chosen scope (other than `scope` itself) that already grants `scope`, if any: `*`, the part
 * before the colon (`self.objects` grants `self.objects:read`), or the untyped form of a typed
 * scope (`objects:read` grants `objects.timeseries:read`).
 */
export function impliedBy(scope: string, chosen: ReadonlySet<string>): string | undefined {
  if (scope === "*") return undefined;
  if (chosen.has("*")) return "*";
  const others = new Set([...chosen].filter((s) => s !== scope));
  const colon = scope.indexOf(":");
  const base = colon > 0 ? scope.slice(0, colon) : scope;
  const verb = colon > 0 ? scope.slice(colon) : "";
  if (colon > 0 && others.has(base)) return base;
  const typed = /^(self\.objects|objects|shared)\.[^.:]+$/.exec(base);
  if (typed) {
    const untyped = typed[1]!;
    if (others.has(untyped)) return untyped;
    if (verb && others.has(`${untyped}${verb}`)) return `${untyped}${verb}`;
  }
  return undefined;
}

/**
 * Object scopes (`owner_scope`) are a plain set: only `*` stands for the others. `update` does
 * grant what `update:basic` does, but the two are stored as chosen.
 */
export function impliedByEverything(scope: string, chosen: ReadonlySet<string>): string | undefined {
  return scope !== "*" && chosen.has("*") ? "*" : undefined;
}

/** Scopes in the set that neither the catalogue nor this explorer knows: kept and shown as custom. */
export function customScopes(chosen: ReadonlySet<string>, groups: readonly ScopeGroup[]): string[] {
  const known = new Set(groups.flatMap((g) => g.options.map((o) => o.scope)));
  return [...chosen].filter((s) => !known.has(s)).sort();
}

export const APP_PRESETS: ScopePreset[] = [
  {
    id: "append-own",
    label: "Append to its own series",
    scope: "self.objects:create self.objects:read self.objects:write",
    explains: "A logger or script: it creates its own series and adds data to them, and sees nothing else.",
  },
  {
    id: "read-everything",
    label: "Read everything",
    scope: "objects:read owner:read self.objects:read shared:read users:read",
    explains: "A dashboard: it reads all your objects and profile, and changes nothing.",
  },
  {
    id: "full",
    label: "Full access",
    scope: "*",
    explains: "Anything you can do yourself, including deleting objects and your account.",
  },
];

/** The preset whose scope is exactly this set, if any. */
export function matchingPreset(
  chosen: ReadonlySet<string>,
  presets: readonly ScopePreset[] = APP_PRESETS,
): ScopePreset | undefined {
  const text = formatScopeSet(chosen);
  return presets.find((p) => formatScopeSet(scopeSet(p.scope)) === text);
}

const VERBS: [string, string][] = [
  ["read", "read"],
  ["write", "add data to"],
  ["update", "change"],
  ["delete", "delete"],
];

function joinWords(words: string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

/** What a set of app scopes lets the app do, one sentence per area, for the preview. */
export function describeInPlainWords(scope: string | ReadonlySet<string>): string[] {
  const set = typeof scope === "string" ? scopeSet(scope) : new Set(scope);
  if (set.has("*")) {
    return ["Everything you can do yourself: read, change and delete all your objects, apps and account."];
  }
  if (set.size === 0) return ["Nothing: the app can sign in, but it can read or change nothing."];
  const out: string[] = [];
  const has = (s: string) => appHasScope(set, s);

  const ownVerbs = VERBS.filter(([v]) => has(`self.objects:${v}`)).map(([, w]) => w);
  const creates = has("self.objects:create") || has("self.objects.timeseries:create");
  if (has("self.objects") || has("self.objects.timeseries")) {
    out.push("Create its own objects and do anything with them.");
  } else if (creates && ownVerbs.length > 0) {
    out.push(`Create its own objects and ${joinWords(ownVerbs)} them.`);
  } else if (creates) {
    out.push("Create its own objects.");
  } else if (ownVerbs.length > 0) {
    out.push(`${cap(joinWords(ownVerbs))} its own objects.`);
  }

  const otherVerbs = VERBS.filter(([v]) => has(`objects:${v}`)).map(([, w]) => w);
  if (has("objects")) out.push("Read, change and delete all your other objects, and add data to them.");
  else if (otherVerbs.length > 0) out.push(`${cap(joinWords(otherVerbs))} your other objects.`);
  else if (has("objects.timeseries") || has("objects.timeseries:read")) {
    out.push("Reach your other timeseries objects.");
  }

  const ownerVerbs = ["read", "update", "delete"].filter((v) => has(`owner:${v}`));
  if (ownerVerbs.length > 0) {
    const words = ownerVerbs.map((v) => (v === "update" ? "change" : v));
    out.push(`${cap(joinWords(words))} your account.`);
  }
  const userVerbs = ["read", "update", "delete"].filter((v) => has(`users:${v}`));
  if (userVerbs.length > 0) {
    const words = userVerbs.map((v) => (v === "update" ? "change" : v));
    out.push(`${cap(joinWords(words))} the other users you can reach.`);
  }
  if (has("shared:read")) out.push("Read objects others have shared with you.");

  const known = DEFAULT_APP_CATALOGUE;
  for (const s of [...set].sort()) {
    if (!(s in known)) out.push(`“${s}”: a custom scope; this explorer does not know what it allows.`);
  }
  if (out.length === 0) out.push("Only what the scopes above name; nothing this explorer can describe.");
  return out;
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** One line for a list: "full access", "append to its own series", or the scopes themselves. */
export function scopeLine(scope: string): string {
  const set = scopeSet(scope);
  if (set.has("*")) return "Full access";
  if (set.size === 0) return "No scopes";
  const preset = matchingPreset(set);
  if (preset) return preset.label;
  const text = [...set].sort().join(", ");
  return text.length > 60 ? `${set.size} scopes: ${text.slice(0, 57)}…` : text;
}
