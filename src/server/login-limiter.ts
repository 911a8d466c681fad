import { isIPv4 } from "node:net";

/** How many failures a key may have before each further attempt must wait, and how long. */
export interface LimiterPolicy {
  /** Failures allowed per (account, source) before backoff starts. */
  perAccount: number;
  /** Failures allowed per source over all accounts before backoff starts. */
  perSource: number;
  /** The first wait; each further failure doubles it. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A key with no failure for this long is forgotten. */
  forgetAfterMs: number;
}

export const DEFAULT_LIMITER_POLICY: LimiterPolicy = {
  perAccount: 5,
  perSource: 20,
  baseDelayMs: 30 * 1000,
  maxDelayMs: 15 * 60 * 1000,
  forgetAfterMs: 60 * 60 * 1000,
};

interface Entry {
  /** Failures, plus attempts still being checked (reserved as failures until they succeed). */
  count: number;
  last: number;
}

/** What `begin` hands out: settle it exactly once with the outcome of the password check. */
export interface LoginAttempt {
  succeeded(): void;
  failed(): void;
}

/**
 * The source part of a key: IPv6 clients usually own a whole /64, so that is one source;
 * IPv4-mapped addresses count as the IPv4 address they are.
 */
export function sourceOf(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (isIPv4(ip) || !ip.includes(":")) return ip;
  const [head = "", tail = ""] = ip.toLowerCase().split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === "" ? [] : tail.split(":");
  const groups = ip.includes("::")
    ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

/**
 * Slows password guessing. Every attempt is counted *before* the password is checked, in the
 * same synchronous step as the decision to let it through, so a burst of parallel guesses cannot
 * slip past the count while earlier ones are still hashing. Keys are per (account, source), so
 * someone guessing from elsewhere never locks out the real user, plus a looser per-source budget
 * across accounts. Past the budget each further attempt must wait twice as long as the last.
 */
export class LoginLimiter {
  private readonly entries = new Map<string, Entry>();
  private sweepAt = 0;

  constructor(private readonly policy: LimiterPolicy = DEFAULT_LIMITER_POLICY) {}

  private keys(username: string, ip: string): [key: string, free: number][] {
    const source = sourceOf(ip);
    // heedy usernames are case-sensitive, but guesses at `TEST` and `test` are the same guessing.
    return [
      [`a:${username.toLowerCase()}@${source}`, this.policy.perAccount],
      [`s:${source}`, this.policy.perSource],
    ];
  }

  private wait(entry: Entry | undefined, free: number, now: number): number {
    if (!entry || entry.count < free) return 0;
    const delay = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (entry.count - free));
    return Math.max(0, entry.last + delay - now);
  }

  private live(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && now - entry.last > this.policy.forgetAfterMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private sweep(now: number): void {
    if (now < this.sweepAt) return;
    this.sweepAt = now + this.policy.forgetAfterMs / 4;
    for (const [key, entry] of this.entries) {
      if (now - entry.last > this.policy.forgetAfterMs) this.entries.delete(key);
    }
  }

  /**
   * Reserves an attempt, or answers how many seconds to wait. The reservation counts as a
   * failure until `succeeded()` says otherwise.
   */
  begin(username: string, ip: string, now = Date.now()): LoginAttempt | { retryAfterS: number } {
    this.sweep(now);
    const keys = this.keys(username, ip);
    let waitMs = 0;
    for (const [key, free] of keys) {
      // A key already at its budget waits out its backoff; the attempt that reaches the budget
      // itself goes through (it is the last free one).
      const entry = this.live(key, now);
      if (entry && entry.count >= free) waitMs = Math.max(waitMs, this.wait(entry, free, now));
    }
    if (waitMs > 0) return { retryAfterS: Math.ceil(waitMs / 1000) };
    const reserved: Entry[] = [];
    for (const [key] of keys) {
      const entry = this.live(key, now) ?? { count: 0, last: now };
      entry.count += 1;
      entry.last = now;
      this.entries.set(key, entry);
      reserved.push(entry);
    }
    let settled = false;
    return {
      succeeded: () => {
        if (settled) return;
        settled = true;
        // The right password from this source clears its guesses at this account; the source's
        // budget only gets the reservation back, so logging in to one's own account between
        // guesses at others buys nothing.
        this.entries.delete(keys[0]![0]);
        const source = reserved[1]!;
        source.count = Math.max(0, source.count - 1);
      },
      failed: () => {
        settled = true;
      },
    };
  }
}
