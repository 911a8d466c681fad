/**
 * The login limiter over HTTP (issue 10): bursts cannot overrun it, guesses from one address do
 * not lock out the real user elsewhere, and unknown names take as long to refuse as known ones.
 */
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.js";
import { DEFAULT_LIMITER_POLICY, LoginLimiter } from "../login-limiter.js";
import { clientsFor, createUser, Http } from "../test-http.js";
import { startTestServer, type TestServer } from "../testing.js";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const form = (username: string, password: string) =>
  new URLSearchParams({ grant_type: "password", username, password }).toString();

/** POST /auth/token from a chosen local address (any 127.x address reaches the loopback server). */
function loginFrom(
  url: string,
  localAddress: string,
  body: string,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/auth/token`,
      {
        method: "POST",
        localAddress,
        headers: { "content-type": "application/x-www-form-urlencoded" },
      },
      (res) => {
        let text = "";
        res.on("data", (d) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("login limit", () => {
  it("a burst of 200 parallel wrong guesses lets at most the limit through", async () => {
    const http = new Http(server.url);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        http.req("POST", "/auth/token", {
          raw: form("test", `guess-${i}`),
          headers: { "content-type": "application/x-www-form-urlencoded" },
        }),
      ),
    );
    const checked = results.filter((r) => r.status === 400);
    const limited = results.filter((r) => r.status === 429);
    expect(checked.length).toBeLessThanOrEqual(DEFAULT_LIMITER_POLICY.perAccount);
    expect(checked.length + limited.length).toBe(200);
    const sample = limited[0]!;
    expect(Object.keys(sample.body as object).sort()).toEqual(["error", "error_description"]);
    expect(Number(sample.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("the real user, from another address, still logs in; case variants count as the same account", async () => {
    await createUser(await clientsFor(server), "victim", "right");
    for (const name of ["victim", "VICTIM", "Victim"]) {
      for (let i = 0; i < 3; i++) await loginFrom(server.url, "127.0.0.2", form(name, "wrong"));
    }
    const attacker = await loginFrom(server.url, "127.0.0.2", form("victim", "right"));
    expect(attacker.status).toBe(429);
    const real = await loginFrom(server.url, "127.0.0.3", form("victim", "right"));
    expect(real.status).toBe(200);
    expect(real.body).toMatchObject({ token_type: "bearer" });
  });

  it("logging in to one's own account does not reset the count for other accounts", async () => {
    const c = await clientsFor(server);
    await createUser(c, "own", "mine");
    for (let i = 0; i < 5; i++) await loginFrom(server.url, "127.0.0.4", form("target", `g${i}`));
    expect((await loginFrom(server.url, "127.0.0.4", form("own", "mine"))).status).toBe(200);
    expect((await loginFrom(server.url, "127.0.0.4", form("target", "g5"))).status).toBe(429);
  });
});

describe("login timing", () => {
  it("unknown usernames take about as long to refuse as wrong passwords of known ones", async () => {
    // A limiter with room for every sample, so only the password check is timed.
    const roomy = new LoginLimiter({ ...DEFAULT_LIMITER_POLICY, perAccount: 1000, perSource: 1000 });
    const app = await buildApp({ ctx: server.ctx, loginLimiter: roomy });
    await app.listen({ host: "127.0.0.1", port: 0 });
    try {
      const address = app.server.address();
      const http = new Http(`http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`);
      const time = async (username: string) => {
        const started = performance.now();
        const res = await http.req("POST", "/auth/token", {
          raw: form(username, "wrong"),
          headers: { "content-type": "application/x-www-form-urlencoded" },
        });
        expect(res.status).toBe(400);
        return performance.now() - started;
      };
      const known: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 9; i++) {
        known.push(await time("test"));
        unknown.push(await time(`nobody${i}`));
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      // Loose: the check is whether the hash runs at all (today it takes ~50 ms), not speed.
      const ratio = median(unknown) / median(known);
      expect(ratio, `known ${median(known)} ms, unknown ${median(unknown)} ms`).toBeGreaterThan(0.6);
      expect(ratio).toBeLessThan(1.7);
    } finally {
      await app.close();
    }
  });
});
