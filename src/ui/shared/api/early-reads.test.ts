import { afterEach, describe, expect, it, vi } from "vitest";
import {
  EARLY_READ_TTL_MS,
  EARLY_READS_GLOBAL,
  type EarlyRead,
  earlyFetch,
  earlyNow,
  resetEarlyReads,
} from "./early-reads";

const URL_A = "http://127.0.0.1:1/api/objects/a";
const AUTH = "Bearer t0";

function leave(reads: EarlyRead[], sentAt = Date.now(), now = sentAt - 7): void {
  resetEarlyReads();
  (globalThis as Record<string, unknown>)[EARLY_READS_GLOBAL] = { sentAt, now, reads };
}

function early(url: string, body: string, authorization: string | null = AUTH): EarlyRead {
  return { url, authorization, response: Promise.resolve(new Response(body)) };
}

const init = (auth: string | null = AUTH, more: RequestInit = {}): RequestInit => ({
  method: "GET",
  headers: auth === null ? { "Content-Type": "application/json" } : { Authorization: auth },
  ...more,
});

describe("earlyFetch", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    resetEarlyReads();
  });

  it("answers a matching read with the early answer, once, and asks the network after", async () => {
    const net = vi.fn(async () => new Response("from the network"));
    vi.stubGlobal("fetch", net);
    leave([early(URL_A, "early")]);
    expect(await (await earlyFetch(URL_A, init())).text()).toBe("early");
    expect(net).not.toHaveBeenCalled();
    expect(await (await earlyFetch(URL_A, init())).text()).toBe("from the network");
    expect(net).toHaveBeenCalledTimes(1);
    // The global is taken once: the page's scripts cannot hand over reads later.
    expect((globalThis as Record<string, unknown>)[EARLY_READS_GLOBAL]).toBeUndefined();
  });

  it("never hands a read to other credentials, another URL or a write", async () => {
    const net = vi.fn(async () => new Response("from the network"));
    vi.stubGlobal("fetch", net);
    leave([early(URL_A, "early"), early(`${URL_A}/cookie`, "cookie's", null)]);
    expect(await (await earlyFetch(URL_A, init("Bearer other"))).text()).toBe("from the network");
    expect(await (await earlyFetch(URL_A, init(null))).text()).toBe("from the network");
    expect(await (await earlyFetch(`${URL_A}?x=1`, init())).text()).toBe("from the network");
    expect(await (await earlyFetch(URL_A, init(AUTH, { method: "PATCH", body: "{}" }))).text()).toBe(
      "from the network",
    );
    expect(await (await earlyFetch(`${URL_A}/cookie`, init())).text()).toBe("from the network");
    expect(await (await earlyFetch(`${URL_A}/cookie`, init(null))).text()).toBe("cookie's");
    // Still there for the credentials that sent it.
    expect(await (await earlyFetch(URL_A, init())).text()).toBe("early");
  });

  it("asks the network when the early read failed on the wire or is stale", async () => {
    const net = vi.fn(async () => new Response("from the network"));
    vi.stubGlobal("fetch", net);
    const failed = Promise.reject(new TypeError("connection refused"));
    failed.catch(() => undefined);
    leave([{ url: URL_A, authorization: AUTH, response: failed }]);
    expect(await (await earlyFetch(URL_A, init())).text()).toBe("from the network");
    leave([early(URL_A, "early")], Date.now() - EARLY_READ_TTL_MS - 1);
    expect(await (await earlyFetch(URL_A, init())).text()).toBe("from the network");
  });

  it("is abortable like fetch", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => new Response("from the network")),
    );
    let answer: (r: Response) => void = () => undefined;
    leave([{ url: URL_A, authorization: AUTH, response: new Promise((ok) => (answer = ok)) }]);
    const controller = new AbortController();
    const read = earlyFetch(URL_A, init(AUTH, { signal: controller.signal }));
    controller.abort(new DOMException("gone", "AbortError"));
    await expect(read).rejects.toMatchObject({ name: "AbortError" });
    answer(new Response("late"));
    const already = new AbortController();
    already.abort(new DOMException("gone", "AbortError"));
    leave([early(URL_A, "early")]);
    await expect(earlyFetch(URL_A, init(AUTH, { signal: already.signal }))).rejects.toMatchObject({
      name: "AbortError",
    });
  });
});

describe("earlyNow", () => {
  afterEach(() => resetEarlyReads());

  it("is the boot's instant while its ranged read is unclaimed, then undefined", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => new Response("from the network")),
    );
    const sentAt = Date.now();
    leave(
      [early(URL_A, "object"), { ...early(`${URL_A}/timeseries/plot?t1=1`, "plot"), ranged: true }],
      sentAt,
    );
    expect(earlyNow()?.getTime()).toBe(sentAt - 7);
    await earlyFetch(URL_A, init());
    expect(earlyNow()?.getTime()).toBe(sentAt - 7);
    await earlyFetch(`${URL_A}/timeseries/plot?t1=1`, init());
    expect(earlyNow()).toBeUndefined();
    vi.unstubAllGlobals();
  });

  it("is undefined without early reads", () => {
    expect(earlyNow()).toBeUndefined();
  });
});
