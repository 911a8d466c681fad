import { describe, expect, it } from "vitest";
import { appPath, objectPath, parseRoute } from "./router";

describe("router", () => {
  it("reads the browser, object pages and their tabs", () => {
    expect(parseRoute("/", "").page).toBe("browser");
    expect(parseRoute("/objects/abc", "")).toMatchObject({ page: "object", id: "abc", tab: "data" });
    expect(parseRoute("/objects/abc/schema", "")).toMatchObject({ page: "object", id: "abc", tab: "schema" });
    expect(parseRoute("/objects/abc/nope", "").page).toBe("not-found");
    expect(parseRoute("/elsewhere", "").page).toBe("not-found");
  });

  it("round-trips ids that need escaping and keeps view parameters", () => {
    const path = objectPath("a/b c", "access", new URLSearchParams({ from: "now-6h", to: "now" }));
    expect(path).toBe("/objects/a%2Fb%20c/access?from=now-6h&to=now");
    const url = new URL(path, "http://x");
    const route = parseRoute(url.pathname, url.search);
    expect(route).toMatchObject({ page: "object", id: "a/b c", tab: "access" });
    expect(route.query.get("from")).toBe("now-6h");
    expect(objectPath("id")).toBe("/objects/id");
  });

  it("reads the account pages", () => {
    expect(parseRoute("/apps", "").page).toBe("apps");
    expect(parseRoute(appPath("a/b"), "")).toMatchObject({ page: "app", id: "a/b" });
    expect(parseRoute("/account", "").page).toBe("account");
    expect(parseRoute("/users", "").page).toBe("users");
    expect(parseRoute("/apps/x/y", "").page).toBe("not-found");
  });
});
