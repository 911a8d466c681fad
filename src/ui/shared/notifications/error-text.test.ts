import { describe, expect, it } from "vitest";
import { HeedyError, HeedyNetworkError, HeedyResponseError } from "../../../client/index";
import { useConnection } from "./connection-store";
import { plainError } from "./error-text";
import { reportError, useNotifications } from "./notification-store";

describe("plainError", () => {
  it("turns errors a person can cause into sentences, keeping heedy's code for details", () => {
    const dup = plainError(
      new HeedyError("server_error", "UNIQUE constraint failed: objects.key, objects.app", 400),
    );
    expect(dup.sentence).toBe("Another object of this app already uses this key.");
    expect(dup.code).toBe("server_error: UNIQUE constraint failed: objects.key, objects.app");
    const name = plainError(new HeedyError("bad_request", "Invalid name", 400));
    expect(name.sentence).not.toMatch(/bad_request/);
    expect(name.code).toBe("bad_request: Invalid name");
    expect(plainError(new HeedyError("access_denied", "Insufficient permissions", 403)).sentence).toMatch(
      /not allowed/,
    );
    // A wrong current password is the person's typo, not the app's scopes.
    expect(plainError(new HeedyError("access_denied", "The current password is wrong", 400)).sentence).toBe(
      "The current password is wrong.",
    );
  });

  it("never shows a URL", () => {
    const url = "http://127.0.0.1:1324/api/objects/x/timeseries";
    const net = plainError(new HeedyNetworkError(url, new TypeError("Failed to fetch")));
    expect(JSON.stringify(net)).not.toContain("http");
    const proxy = plainError(new HeedyResponseError(url, 502, "<html>", "The error answer is not JSON"));
    expect(JSON.stringify(proxy)).not.toContain("http:");
    expect(proxy.code).toBe("HTTP 502");
  });
});

describe("reportError", () => {
  it("shows a dropped connection as one state, not a toast per request", () => {
    useNotifications.setState({ items: [] });
    const err = new HeedyNetworkError("http://x/api", new TypeError("Failed to fetch"));
    for (let i = 0; i < 4; i++) reportError(err);
    expect(useNotifications.getState().items).toHaveLength(0);
    expect(useConnection.getState().unreachable).toBe(true);
    useConnection.getState().markReachable();
  });

  it("counts a repeated error instead of stacking it", () => {
    useNotifications.setState({ items: [] });
    const err = new HeedyError("access_denied", "Insufficient permissions", 403);
    reportError(err);
    reportError(err);
    const items = useNotifications.getState().items;
    expect(items).toHaveLength(1);
    expect(items[0]?.repeats).toBe(2);
    expect(items[0]?.code).toBe("access_denied: Insufficient permissions");
  });
});
