import { describe, expect, it } from "vitest";
import { deviceName } from "./user-agent";

describe("deviceName", () => {
  it("names common browsers and systems, and falls back to the raw text", () => {
    expect(
      deviceName(
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
      ),
    ).toBe("Chrome on Linux");
    expect(
      deviceName("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Safari/604.1"),
    ).toBe("Safari on iOS");
    expect(deviceName("Mozilla/5.0 (Windows NT 10.0; rv:120.0) Gecko/20100101 Firefox/120.0")).toBe(
      "Firefox on Windows",
    );
    expect(deviceName("python-requests/2.31")).toBe("Python");
    expect(deviceName("")).toBe("Unknown device");
    expect(deviceName("vitest")).toBe("vitest");
  });
});
