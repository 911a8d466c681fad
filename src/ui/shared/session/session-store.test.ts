import { describe, expect, it } from "vitest";
import { HeedyError, HeedyNetworkError, HeedyResponseError } from "../../../client/index";
import { describeLoginError } from "./session-store";

describe("describeLoginError", () => {
  const url = "http://localhost:1324/";
  it("tells the three login failures apart", () => {
    expect(describeLoginError(new HeedyError("access_denied", "bad token", 401), url).problem).toBe(
      "token_rejected",
    );
    expect(describeLoginError(new HeedyNetworkError(url, new TypeError("fetch failed")), url).problem).toBe(
      "unreachable",
    );
    expect(describeLoginError(new HeedyResponseError(url, 200, "<html>", "not JSON"), url).problem).toBe(
      "not_heedy",
    );
    const other = describeLoginError(
      new HeedyError("not_found", "The selected resource was not found", 403),
      url,
    );
    expect(other).toEqual({
      problem: "failed",
      message: "Sign-in failed: not_found: The selected resource was not found",
    });
  });
});
