import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITER_POLICY, type LoginAttempt, LoginLimiter, sourceOf } from "./login-limiter.js";

const policy = {
  ...DEFAULT_LIMITER_POLICY,
  perAccount: 3,
  perSource: 6,
  baseDelayMs: 1000,
  maxDelayMs: 8000,
};

function attempt(limiter: LoginLimiter, user: string, ip: string, now: number): LoginAttempt {
  const a = limiter.begin(user, ip, now);
  if ("retryAfterS" in a) throw new Error(`refused for ${a.retryAfterS} s`);
  return a;
}

describe("LoginLimiter", () => {
  it("counts attempts before they are settled, so parallel ones cannot overrun the budget", () => {
    const limiter = new LoginLimiter(policy);
    const started = Array.from({ length: 50 }, () => limiter.begin("alice", "10.0.0.1", 0));
    expect(started.filter((a) => !("retryAfterS" in a))).toHaveLength(3);
    expect(started[3]).toEqual({ retryAfterS: 1 });
  });

  it("backs off exponentially past the budget instead of locking for a fixed window", () => {
    const limiter = new LoginLimiter(policy);
    for (let i = 0; i < 3; i++) attempt(limiter, "alice", "10.0.0.1", 0).failed();
    expect(limiter.begin("alice", "10.0.0.1", 500)).toEqual({ retryAfterS: 1 });
    attempt(limiter, "alice", "10.0.0.1", 1000).failed();
    expect(limiter.begin("alice", "10.0.0.1", 2500)).toEqual({ retryAfterS: 1 });
    attempt(limiter, "alice", "10.0.0.1", 3000).failed();
    expect(limiter.begin("alice", "10.0.0.1", 3000)).toEqual({ retryAfterS: 4 });
  });

  it("keys accounts per source: guesses from one address do not lock out another", () => {
    const limiter = new LoginLimiter(policy);
    for (let i = 0; i < 3; i++) attempt(limiter, "alice", "10.0.0.1", 0).failed();
    expect("retryAfterS" in limiter.begin("alice", "10.0.0.1", 1)).toBe(true);
    attempt(limiter, "alice", "10.0.0.2", 1).succeeded();
    // Case variants are the same account to the limiter.
    expect("retryAfterS" in limiter.begin("ALICE", "10.0.0.1", 1)).toBe(true);
  });

  it("a success clears only its own account key; the source budget keeps earlier failures", () => {
    const limiter = new LoginLimiter(policy);
    for (const user of ["a", "b", "c", "d", "e"]) attempt(limiter, user, "10.0.0.1", 0).failed();
    // Logging in to one's own account in between does not reset the source's count.
    attempt(limiter, "mine", "10.0.0.1", 0).succeeded();
    attempt(limiter, "f", "10.0.0.1", 0).failed();
    expect(limiter.begin("g", "10.0.0.1", 0)).toEqual({ retryAfterS: 1 });
  });

  it("forgets a key after a quiet period", () => {
    const limiter = new LoginLimiter(policy);
    for (let i = 0; i < 3; i++) attempt(limiter, "alice", "10.0.0.1", 0).failed();
    attempt(limiter, "alice", "10.0.0.1", policy.forgetAfterMs + 1).failed();
    attempt(limiter, "alice", "10.0.0.1", policy.forgetAfterMs + 2).failed();
  });

  it("treats an IPv6 /64 as one source and an IPv4-mapped address as IPv4", () => {
    expect(sourceOf("::ffff:192.0.2.7")).toBe("192.0.2.7");
    expect(sourceOf("192.0.2.7")).toBe("192.0.2.7");
    expect(sourceOf("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(sourceOf("2001:0db8:0001:0002:bbbb:cccc:dddd:eeee")).toBe("2001:db8:1:2::/64");
    expect(sourceOf("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(sourceOf("::1")).toBe("0:0:0:0::/64");
  });
});
