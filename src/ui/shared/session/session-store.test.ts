import { describe, expect, it } from "vitest";
import { HeedyError, HeedyNetworkError, HeedyResponseError } from "../../../client/index";
import { describeLoginError, describePasswordError } from "./session-store";

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

describe("describePasswordError", () => {
  const url = "http://localhost:1324/";
  it("says a wrong password and the login limiter's wait in plain words", () => {
    expect(
      describePasswordError(new HeedyError("access_denied", "Wrong username or password", 400), url),
    ).toEqual({
      problem: "wrong_password",
      message: "Wrong username or password.",
    });
    const limited = new HeedyError("access_denied", "Too many failed logins; try again in 120 seconds", 429);
    limited.retryAfterS = 120;
    expect(describePasswordError(limited, url)).toEqual({
      problem: "rate_limited",
      message: "Too many attempts, try again in 2 minutes.",
    });
    // Without the header, the wait is read from the server's text.
    const fromText = new HeedyError("access_denied", "Too many failed logins; try again in 30 seconds", 429);
    expect(describePasswordError(fromText, url).message).toBe("Too many attempts, try again in 30 seconds.");
    expect(describePasswordError(new HeedyNetworkError(url, new TypeError("x")), url).problem).toBe(
      "unreachable",
    );
  });
});
