// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { App, resolveBaseUrl } from "../../../client/index";
import { pageCapabilities, seedPageCapabilities } from "./page-capabilities";

function setMeta(content: string | null): void {
  document.head.querySelector('meta[name="heedy-explorer-capabilities"]')?.remove();
  if (content === null) return;
  const meta = document.createElement("meta");
  meta.name = "heedy-explorer-capabilities";
  meta.content = content;
  document.head.append(meta);
}

describe("page capabilities", () => {
  afterEach(() => {
    setMeta(null);
    vi.unstubAllGlobals();
  });

  it("answer a client of the page's own server without a request", async () => {
    const fetch = vi.fn(() => Promise.reject(new TypeError("no network in this test")));
    vi.stubGlobal("fetch", fetch);
    setMeta(JSON.stringify({ server: "heedy-explorer", version: "0.1.0", extensions: ["timeseries.plot"] }));
    const base = resolveBaseUrl();
    const client = new App("token", base);
    seedPageCapabilities(client, base);
    expect(await client.server.hasExtension("timeseries.plot")).toBe(true);
    expect(fetch).not.toHaveBeenCalled();
  });

  it("are not applied to a client of another server", async () => {
    const fetch = vi.fn(() => Promise.reject(new TypeError("no network in this test")));
    vi.stubGlobal("fetch", fetch);
    setMeta(JSON.stringify({ extensions: ["timeseries.plot"] }));
    const client = new App("token", "https://elsewhere.example/");
    seedPageCapabilities(client, "https://elsewhere.example/");
    await expect(client.server.hasExtension("timeseries.plot")).rejects.toBeDefined();
    expect(fetch).toHaveBeenCalled();
  });

  it("are ignored when missing or malformed", () => {
    setMeta(null);
    expect(pageCapabilities()).toBeUndefined();
    setMeta("{not json");
    expect(pageCapabilities()).toBeUndefined();
  });
});
