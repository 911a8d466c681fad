// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { HeedyObject } from "../../../client/index";
import { pageSkeleton, type SkeletonInput } from "./page-skeleton";

const OBJECT: HeedyObject = {
  id: "o1",
  name: "kitchen",
  description: "",
  owner: "ana",
  app: "a1",
  tags: "sensor home  home",
  key: "k-1",
  type: "timeseries",
  meta: {},
  created_date: "2026-11-30",
  last_modified: null,
  owner_scope: "*",
  access: "read update:basic",
};

function input(overrides: Partial<SkeletonInput> = {}): SkeletonInput {
  return {
    object: OBJECT,
    session: {
      mode: "app",
      app: { name: "Sensors", owner: "ana", scope: "*" },
      person: null,
      url: "http://h:1/",
    },
    server: "heedy-explorer 0.1.0",
    length: 12345,
    range: { kind: "time", from: "now-6h", to: "now" },
    zone: "UTC",
    per: null,
    refresh: undefined,
    zoomed: false,
    pushed: false,
    ...overrides,
  };
}

const text = (root: Element, selector: string) =>
  [...root.querySelectorAll(selector)].map((e) => e.textContent?.trim() ?? "");

describe("pageSkeleton", () => {
  it("fills the page above the chart from the object and the session, as React's page shows them", () => {
    const { page, plot, status } = pageSkeleton(input());
    expect(text(page, ".who-app")).toEqual(["Sensors"]);
    expect(text(page, ".server-badge")).toEqual(["h:1 · heedy-explorer 0.1.0"]);
    expect(text(page, ".scope-menu summary")).toEqual(["Scopes: full access"]);
    expect(text(page, ".object-header h1")).toEqual(["kitchen"]);
    expect(text(page, ".object-description p")).toEqual(["No description"]);
    // Tags as a sorted set; access in words; the stats as React formats them.
    expect(text(page, ".object-facts dd .chip:not(.access)")).toEqual(["home", "sensor"]);
    expect(text(page, ".object-facts code")).toEqual(["k-1"]);
    expect(text(page, ".chip.access")).toEqual(["read", "update basics"]);
    expect(text(page, ".stat-value")).toEqual(["12,345", "…"]);
    expect(page.querySelector('.range-preset[aria-pressed="true"]')?.textContent).toBe("6 h");
    expect(page.querySelector(".tab[aria-selected='true']")?.textContent).toBe("Data");
    expect(status.textContent).toBe("Loading…");
    expect(plot.closest(".ts-chart")).not.toBeNull();
  });

  it("shows Edit only where the object's access allows it, as InlineText does", () => {
    // update:basic: description, tags and key, not the name.
    const { page } = pageSkeleton(input());
    expect(page.querySelector(".object-name .edit-button")).toBeNull();
    expect(page.querySelectorAll(".edit-button")).toHaveLength(3);
    const readOnly = pageSkeleton(input({ object: { ...OBJECT, access: "read" } })).page;
    expect(readOnly.querySelectorAll(".edit-button")).toHaveLength(0);
  });

  it("has a person's navigation instead of the app and its scopes", () => {
    const { page } = pageSkeleton(
      input({
        session: {
          mode: "person",
          app: null,
          person: { user: { username: "ana", name: "Ana" } as never, admin: true },
          url: "http://h:1/",
        },
      }),
    );
    expect(text(page, ".nav-link")).toEqual(["Objects", "Apps", "Account", "Users"]);
    expect(text(page, ".who-app")).toEqual(["Ana"]);
    expect(page.querySelector<HTMLDetailsElement>(".scope-menu")?.hidden).toBe(true);
  });

  it("selects a custom range's button, an aggregation and a refresh interval from the address", () => {
    const { page } = pageSkeleton(
      input({
        range: { kind: "time", from: "2026-01-01", to: "2026-01-02" },
        per: { window: "hour", fn: "max" },
        refresh: { value: "30s", label: "30 s", ms: 30_000 },
      }),
    );
    // The custom range's button names it, as RangePicker's does.
    expect(page.querySelector('.range-preset[aria-pressed="true"]')).toBeNull();
    expect(text(page, ".range-preset").at(-1)).toMatch(/^1 Jan 2026, 00:00:00 → /);
    const selected = (label: string) =>
      page.querySelector<HTMLSelectElement>(`select[aria-label="${label}"]`)?.selectedOptions[0]?.textContent;
    expect(selected("Aggregate per")).toBe("hour");
    expect(selected("Aggregate function")).toBe("max");
    expect(selected("Refresh interval")).toBe("every 30 s");
    expect(page.querySelector<HTMLInputElement>(".ts-check input")?.checked).toBe(true);
    expect(text(page, ".ts-live")).toEqual([
      " · Live: refreshing every 30 s (the server's events socket is unavailable)".trim(),
    ]);
  });
});
