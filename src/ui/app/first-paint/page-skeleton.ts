/**
 * The object page's Data tab as plain DOM, for a cold shared link's first paint (early-start.ts,
 * with first-paint-chart.ts):
 * the elements and classes React's page has above the chart (TopBar, ObjectPage's header and
 * tabs, DataTab's stats, TimeseriesViewer's toolbar and status line), filled from the reads the
 * page start already made, so the chart drawn into it sits where React will draw it. e2e's
 * first-paint spec compares the two layouts, so a change to one that the other lacks fails there.
 *
 * Static: no handlers. The overlay it goes into is inert and hidden from assistive technology
 * (React's page, rendered beneath, is the one to use). Built with a ten-line `h()` rather than a
 * library: nothing else is loaded this early, and anything more would delay the paint it is for.
 */
import type { HeedyObject } from "../../../client/index";
import { AGGREGATE_FNS } from "../../../core/aggregate";
import { canUpdateFields, scopeSet } from "../../../core/scopes";
import { ACCESS_WORDS } from "../../features/access/model/access-words";
import { splitSet } from "../../features/objects/model/tag-set";
import { liveText } from "../../features/timeseries/model/plot-status";
import { REFRESH_CHOICES } from "../../features/timeseries/model/refresh";
import { LOGO_URL } from "../../shared/brand/logo";
import { PER_WINDOWS, type Per } from "../../shared/plot/per";
import { scopeSummary } from "../../shared/scopes/scope-info";
import type { PersonInfo } from "../../shared/session/session-store";
import type { ZoneChoice } from "../../shared/time/calendar";
import { formatCount } from "../../shared/time/format";
import { describeRange, presetOf, RANGE_PRESETS, type ViewRange } from "../../shared/time/view-range";
import { OBJECT_TABS } from "../router";

type Child = Node | string | null | false | undefined;

/** An element with attributes (`true` for a bare one, false/undefined for none) and children. */
function h(tag: string, attrs: Record<string, string | boolean | undefined> | null, ...children: Child[]) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === true) el.setAttribute(name, "");
    else if (typeof value === "string") el.setAttribute(name, value);
  }
  for (const c of children) if (c !== null && c !== false && c !== undefined) el.append(c);
  return el;
}

export interface SkeletonInput {
  object: HeedyObject;
  session: {
    mode: "app" | "person" | null;
    app: { name: string; owner: string; scope?: string } | null;
    person: PersonInfo | null;
    url: string;
  };
  /** "heedy-explorer 0.1.0", as the top bar names the server. */
  server: string;
  length: number | undefined;
  range: ViewRange;
  per: Per | null;
  zone: ZoneChoice;
  /** `?refresh=` of the address, when Live is on. */
  refresh: (typeof REFRESH_CHOICES)[number] | undefined;
  /** A zoomed or fixed window: Live refresh is paused. */
  zoomed: boolean;
  /** Whether the server's events socket is open. */
  pushed: boolean;
}

const TAB_LABELS = { data: "Data", schema: "Schema", access: "Access" } as const;

function topBar({ session, server }: SkeletonInput): HTMLElement {
  const { mode, app, person, url } = session;
  let host = url;
  try {
    host = new URL(url).host;
  } catch {}
  const who =
    mode === "person" && person
      ? [
          h(
            "nav",
            { class: "topbar-nav" },
            ...["Objects", "Apps", "Account", ...(person.admin ? ["Users"] : [])].map((label, i) =>
              h("a", { class: "nav-link", href: "/", "aria-current": i === 0 ? "page" : undefined }, label),
            ),
          ),
          h(
            "div",
            { class: "topbar-who" },
            h("span", { class: "who-app" }, person.user.name || person.user.username),
            person.admin && h("span", { class: "muted" }, "admin"),
          ),
        ]
      : [
          h(
            "div",
            { class: "topbar-who" },
            h("span", { class: "who-app" }, app?.name ?? ""),
            h("span", { class: "muted" }, "owned by ", h("span", { class: "who-owner" }, app?.owner ?? "")),
          ),
        ];
  return h(
    "header",
    { class: "topbar" },
    h(
      "a",
      { class: "brand", href: "/" },
      h("img", { src: LOGO_URL, alt: "", width: "22", height: "22" }),
      h("span", null, "heedy explorer"),
    ),
    ...who,
    h(
      "details",
      { class: "scope-menu", hidden: mode === "person" },
      h("summary", null, h("span", { class: "muted" }, "Scopes:"), ` ${scopeSummary(app?.scope ?? "")}`),
    ),
    h("span", { class: "server-badge muted small" }, host + (server ? ` · ${server}` : "")),
    h("button", { type: "button", class: "button subtle" }, "Sign out"),
  );
}

/** InlineText's read-only view: the value, and its Edit button when the app may edit it. */
function inlineText(className: string, value: Child, canEdit: boolean): HTMLElement {
  return h(
    "div",
    { class: `inline-text ${className}` },
    h("div", { class: "inline-value" }, value),
    canEdit && h("button", { type: "button", class: "button subtle small edit-button" }, "Edit"),
  );
}

function chips(words: string[], className: string): HTMLElement {
  return h("ul", { class: "chips" }, ...words.map((w) => h("li", null, h("span", { class: className }, w))));
}

function objectHeader(object: HeedyObject): HTMLElement {
  const access = scopeSet(object.access);
  const canBasic = canUpdateFields(access, ["description"]);
  const canFull = canUpdateFields(access, ["name"]);
  const tags = splitSet(object.tags);
  const accessWords = [...access].sort();
  const fact = (term: string, value: Child) => h("div", null, h("dt", null, term), h("dd", null, value));
  return h(
    "header",
    { class: "object-header" },
    h(
      "div",
      { class: "object-title-row" },
      inlineText("object-name", h("h1", null, object.name), canFull),
      h(
        "div",
        { class: "object-actions" },
        h("button", { type: "button", class: "button danger subtle" }, "Delete…"),
      ),
    ),
    inlineText(
      "object-description",
      object.description ? h("p", null, object.description) : h("p", { class: "muted" }, "No description"),
      canBasic,
    ),
    h("button", { type: "button", class: "button subtle small facts-toggle" }, "Tags, key and access"),
    h(
      "dl",
      { class: "object-facts" },
      fact(
        "Tags",
        inlineText("", tags.length ? chips(tags, "chip") : h("span", { class: "muted" }, "—"), canBasic),
      ),
      fact(
        "Key",
        inlineText(
          "",
          object.key ? h("code", null, object.key) : h("span", { class: "muted" }, "none"),
          canBasic && object.app !== null,
        ),
      ),
      fact("Type", h("span", { class: "type-badge" }, object.type)),
      fact("Owner", object.owner),
      fact(
        "Access",
        accessWords.length
          ? h(
              "ul",
              { class: "chips" },
              ...accessWords.map((s) =>
                h(
                  "li",
                  null,
                  h("span", { class: `chip access${s === "*" ? " full" : ""}` }, ACCESS_WORDS[s] ?? s),
                ),
              ),
            )
          : h("span", { class: "muted" }, "none"),
      ),
      fact("Created", object.created_date ?? ""),
    ),
  );
}

function select(label: string, options: readonly string[], disabled = false): HTMLElement {
  return h(
    "select",
    { "aria-label": label, disabled },
    ...options.map((o, i) => h("option", { selected: i === 0 }, o)),
  );
}

function toolbar({ range, zone, per, refresh, zoomed, pushed }: SkeletonInput): HTMLElement {
  const active = presetOf(range);
  const button = (text: string, disabled = false) =>
    h("button", { type: "button", class: "ts-button", disabled }, text);
  const windows = per
    ? [per.window, "raw", ...PER_WINDOWS.filter((w) => w !== per.window)]
    : ["raw", ...PER_WINDOWS];
  const fns = per ? [per.fn, ...AGGREGATE_FNS.filter((f) => f !== per.fn)] : [...AGGREGATE_FNS];
  return h(
    "div",
    { class: "ts-toolbar" },
    h(
      "div",
      { class: "range-picker" },
      h(
        "fieldset",
        { class: "range-presets" },
        h("legend", { class: "visually-hidden" }, "Range"),
        ...RANGE_PRESETS.map((p) =>
          h(
            "button",
            { type: "button", class: "range-preset", "aria-pressed": String(active?.id === p.id) },
            p.label,
          ),
        ),
        h(
          "button",
          { type: "button", class: "range-preset", "aria-pressed": "false" },
          !active && range.kind === "time" ? describeRange(range, zone).replace(" to ", " → ") : "Custom",
        ),
      ),
    ),
    h(
      "div",
      { class: "ts-toolbar-right" },
      button("← Earlier"),
      button("Later →"),
      button("Zoom out ×2"),
      button("Reset zoom", !zoomed),
      // "Local" without the zone's name: naming it takes the page's first Intl date format
      // (~30 ms of ICU start-up on a slow machine); the select's width is fixed in CSS.
      h("label", { class: "ts-zone" }, h("span", null, "Time zone"), select("Time zone", ["Local"])),
      h(
        "span",
        { class: "ts-per" },
        h("label", null, h("span", null, "Per"), select("Aggregate per", windows)),
        select("Aggregate function", fns, !per),
      ),
      h(
        "label",
        { class: "ts-check" },
        h("input", { type: "checkbox", checked: refresh !== undefined }),
        " Live ",
        h("span", { class: "ts-live-mode" }, pushed ? "(pushed)" : "(polling)"),
      ),
      select(
        "Refresh interval",
        [
          refresh ?? REFRESH_CHOICES[1]!,
          ...REFRESH_CHOICES.filter((c) => c !== (refresh ?? REFRESH_CHOICES[1])),
        ].map((c) => `every ${c.label}`),
        true,
      ),
      button("?"),
    ),
  );
}

/**
 * The page; the element the chart goes into (as wide as React's `.ts-chart-plot`); the status line
 * above it, "Loading…" until the plot read is in (as React's); and `live(pushed)`, which words its
 * Live part for whether the events socket is open by then.
 */
export function pageSkeleton(input: SkeletonInput): {
  page: HTMLElement;
  plot: HTMLElement;
  status: HTMLElement;
  live(pushed: boolean): void;
} {
  const { object } = input;
  const plot = h("div", { class: "ts-chart-plot" });
  const status = h("span", null, "Loading…");
  const liveLine = h("span", null);
  const live = (pushed: boolean) => {
    const line = liveText(input.refresh, pushed, input.zoomed && input.refresh !== undefined);
    liveLine.className = line?.kind === "paused" ? "ts-paused" : "ts-live";
    liveLine.textContent = line?.text ?? "";
  };
  live(input.pushed);
  const page = h(
    "div",
    { class: "shell" },
    topBar(input),
    h(
      "main",
      { class: "main" },
      h(
        "div",
        { class: "page object-page" },
        h(
          "nav",
          { class: "breadcrumb" },
          h("a", { href: "/" }, "Objects"),
          h("span", null, " / "),
          h("span", null, object.name),
        ),
        objectHeader(object),
        h(
          "div",
          { class: "tabs" },
          ...OBJECT_TABS.map((t) =>
            h(
              "button",
              { type: "button", class: "tab", "aria-selected": String(t === "data") },
              TAB_LABELS[t],
            ),
          ),
        ),
        h(
          "div",
          { class: "tab-panel" },
          h(
            "div",
            { class: "data-view" },
            h(
              "div",
              { class: "stats" },
              h(
                "div",
                { class: "stat" },
                h(
                  "span",
                  { class: "stat-value" },
                  input.length === undefined ? "…" : formatCount(input.length),
                ),
                h("span", { class: "stat-label" }, input.length === 1 ? "datapoint" : "datapoints"),
              ),
              h(
                "div",
                { class: "stat" },
                h("span", { class: "stat-value small" }, object.last_modified ?? "…"),
                h("span", { class: "stat-label" }, "last written"),
              ),
            ),
            h(
              "section",
              { class: "ts-viewer" },
              toolbar(input),
              h("p", { class: "ts-status" }, status, liveLine),
              h("div", { class: "ts-chart" }, plot),
            ),
          ),
        ),
      ),
    ),
  );
  return { page, plot, status, live };
}
