import { describe, expect, it } from "vitest";
import { scopeSet } from "../../../core/scopes";
import {
  APP_PRESETS,
  customScopes,
  DEFAULT_APP_CATALOGUE,
  describeInPlainWords,
  groupCatalogue,
  impliedBy,
  matchingPreset,
  scopeLine,
} from "./scope-model";

describe("groupCatalogue", () => {
  it("groups as heedy does: self.objects, objects, owner, users, then the rest", () => {
    const groups = groupCatalogue(DEFAULT_APP_CATALOGUE);
    expect(groups.map((g) => g.id)).toEqual(["self", "objects", "owner", "users", "rest"]);
    const byId = Object.fromEntries(groups.map((g) => [g.id, g.options.map((o) => o.scope)]));
    expect(byId.self).toContain("self.objects:create");
    expect(byId.objects).toContain("objects.timeseries:read");
    expect(byId.owner).toEqual(["owner", "owner:delete", "owner:read", "owner:update"]);
    expect(byId.rest?.[0]).toBe("*");
    expect(byId.rest).toContain("shared:read");
    expect(groups[0]?.options.find((o) => o.scope === "self.objects")?.explains).toBe(
      "Full access to the app's own objects",
    );
  });
});

describe("impliedBy", () => {
  it("names what already grants a scope", () => {
    expect(impliedBy("owner:read", scopeSet("*"))).toBe("*");
    expect(impliedBy("self.objects:read", scopeSet("self.objects"))).toBe("self.objects");
    expect(impliedBy("objects.timeseries:read", scopeSet("objects:read"))).toBe("objects:read");
    expect(impliedBy("objects.timeseries", scopeSet("objects"))).toBe("objects");
    expect(impliedBy("self.objects", scopeSet("self.objects"))).toBeUndefined();
    expect(impliedBy("*", scopeSet("*"))).toBeUndefined();
    expect(impliedBy("objects:read", scopeSet("self.objects"))).toBeUndefined();
  });
});

describe("presets and custom scopes", () => {
  it("recognises a preset whatever the order", () => {
    expect(matchingPreset(scopeSet("self.objects:write self.objects:create self.objects:read"))?.id).toBe(
      "append-own",
    );
    expect(matchingPreset(scopeSet("self.objects:write"))).toBeUndefined();
    expect(APP_PRESETS.map((p) => p.label)).toEqual([
      "Append to its own series",
      "Read everything",
      "Full access",
    ]);
  });

  it("keeps unknown scopes apart as custom", () => {
    const groups = groupCatalogue(DEFAULT_APP_CATALOGUE);
    expect(customScopes(scopeSet("owner:read myplugin:sync"), groups)).toEqual(["myplugin:sync"]);
  });
});

describe("describeInPlainWords", () => {
  it("says what the append preset allows, and nothing more", () => {
    expect(describeInPlainWords(APP_PRESETS[0]!.scope)).toEqual([
      "Create its own objects and read and add data to them.",
    ]);
  });

  it("covers full access, nothing, reading everything and custom scopes", () => {
    expect(describeInPlainWords("*")[0]).toMatch(/^Everything you can do yourself/);
    expect(describeInPlainWords("")[0]).toMatch(/^Nothing/);
    expect(describeInPlainWords(APP_PRESETS[1]!.scope)).toEqual([
      "Read its own objects.",
      "Read your other objects.",
      "Read your account.",
      "Read the other users you can reach.",
      "Read objects others have shared with you.",
    ]);
    expect(describeInPlainWords("owner:update myplugin:x")).toEqual([
      "Change your account.",
      "“myplugin:x”: a custom scope; this explorer does not know what it allows.",
    ]);
  });

  it("gives a one-line summary for lists", () => {
    expect(scopeLine("*")).toBe("Full access");
    expect(scopeLine("")).toBe("No scopes");
    expect(scopeLine("self.objects:read self.objects:create self.objects:write")).toBe(
      "Append to its own series",
    );
    expect(scopeLine("owner:read")).toBe("owner:read");
  });
});
