import { describe, expect, it } from "vitest";
import { filtersFromQuery, nextSort, queryFromFilters, withFilters } from "./browser-state";

describe("object browser filters in the URL", () => {
  it("round-trips every filter and the sort", () => {
    const f = {
      text: "kitchen temp",
      tags: ["home", "a b"],
      key: "k1",
      type: "timeseries",
      sort: { column: "last_modified" as const, descending: true },
    };
    const q = queryFromFilters(f);
    expect(q).toBe("q=kitchen+temp&tag=home&tag=a+b&key=k1&type=timeseries&sort=-modified");
    expect(filtersFromQuery(new URLSearchParams(q))).toEqual(f);
  });

  it("leaves defaults out and reads unknown or missing values as defaults", () => {
    expect(queryFromFilters(filtersFromQuery(new URLSearchParams("")))).toBe("");
    expect(filtersFromQuery(new URLSearchParams("sort=bogus&tag=x&tag=x")).sort).toEqual({
      column: "name",
      descending: false,
    });
    expect(filtersFromQuery(new URLSearchParams("tag=x&tag=x")).tags).toEqual(["x"]);
  });

  it("sorts dates newest first, and reverses on a second click", () => {
    expect(nextSort({ column: "name", descending: false }, "last_modified")).toEqual({
      column: "last_modified",
      descending: true,
    });
    expect(nextSort({ column: "name", descending: false }, "name")).toEqual({
      column: "name",
      descending: true,
    });
  });

  it("keeps the page's own parameters (a person's app filter) when the filters change", () => {
    const f = filtersFromQuery(new URLSearchParams("tag=old&q=x"));
    expect(withFilters("?app=a1&tag=old&q=x", { ...f, tags: ["new"], text: "" })).toBe("app=a1&tag=new");
    expect(withFilters("app=none", { ...f, text: "", tags: [] })).toBe("app=none");
  });
});
