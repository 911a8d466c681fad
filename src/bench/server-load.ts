/**
 * Figures of issue 10 against the server in a child process: a wide sparse update against a
 * one-point update, a small GET's latency idle and while big requests run, the server's RSS
 * growth while it ingests a 1M-point body, and 50 clients of mixed load.
 *
 * Load that must not disturb the measuring client (the 1M-point posts, the 10M-point read) runs
 * in a worker thread, so a latency measured here is the server's, not this loop's.
 */
import { Worker } from "node:worker_threads";
import { fmt, info, median, now, report, sensorPoint } from "./bench-util.js";

/** What the load bench needs of the bench's server. */
export interface LoadTarget {
  base: string;
  token: string;
  pid: number;
  request(method: string, path: string, body?: string | Buffer): Promise<Response>;
  json<T>(method: string, path: string, body?: unknown): Promise<T>;
}

function rssOf(pid: number, read: (path: string) => string): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(read(`/proc/${pid}/status`));
  return m ? Number(m[1]) * 1024 : 0;
}

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

/** A 1M-point body as bytes, built without a million objects alive in this process. */
export function sensorBody(n: number, start: number): Buffer {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const p = sensorPoint(i, start);
    parts.push(`{"t":${p.t},"d":${p.d}}`);
  }
  return Buffer.from(`[${parts.join(",")}]`);
}

async function ok(res: Response, what: string): Promise<void> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what}: ${res.status} ${text}`);
}

/** Latencies of sequential small GETs until `stop()` says so (at least `min` of them). */
async function versionLatencies(target: LoadTarget, stop: () => boolean, min = 0): Promise<number[]> {
  const out: number[] = [];
  while (!stop() || out.length < min) {
    const t0 = now();
    const res = await fetch(`${target.base}/api/server/version`);
    await res.arrayBuffer();
    out.push(now() - t0);
    await new Promise((r) => setTimeout(r, 2));
  }
  return out;
}

/**
 * Peak RSS growth of the server while it ingests one 1M-point body into a new series; run on a
 * fresh server so earlier requests have not already grown its heap.
 */
export async function rssWhileIngesting(target: LoadTarget, read: (path: string) => string): Promise<void> {
  const obj = await target.json<{ id: string }>("POST", "/api/objects", {
    name: "rss 1M",
    type: "timeseries",
  });
  const body = sensorBody(1_000_000, 1.6e9);
  await new Promise((r) => setTimeout(r, 300));
  const before = rssOf(target.pid, read);
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, rssOf(target.pid, read));
  }, 5);
  const t0 = now();
  await ok(await target.request("POST", `/api/objects/${obj.id}/timeseries`, body), "1M insert");
  const ms = now() - t0;
  clearInterval(timer);
  peak = Math.max(peak, rssOf(target.pid, read));
  const growth = peak - before;
  report({
    name: "server RSS growth while ingesting one 1M-point body",
    value: `${fmt.mb(growth)} (${fmt.ratio(growth / body.length)} the body)`,
    budget: "<= 4x the body's size",
    ok: growth <= 4 * body.length,
    note: `body ${fmt.mb(body.length)}; RSS before ${fmt.mb(before)}, peak ${fmt.mb(peak)}; answered in ${fmt.ms(ms)}`,
  });
}

/** A wide sparse update (two points at the ends of a long series) against a one-point update. */
export async function sparseUpdate(target: LoadTarget, bigId: string, bigPoints: number, bigStart: number) {
  const url = `/api/objects/${bigId}/timeseries`;
  const one: number[] = [];
  const wide: number[] = [];
  const mid = bigStart + Math.floor(bigPoints / 2);
  for (let rep = 0; rep < 21; rep++) {
    // Interleaved, so drift in the machine's load hits both alike.
    let t0 = now();
    await ok(await target.request("POST", url, JSON.stringify([{ t: mid, d: rep }])), "one-point update");
    one.push(now() - t0);
    t0 = now();
    const two = [
      { t: bigStart, d: rep },
      { t: bigStart + bigPoints - 1, d: rep },
    ];
    await ok(await target.request("POST", url, JSON.stringify(two)), "wide sparse update");
    wide.push(now() - t0);
  }
  const ratio = median(wide) / median(one);
  const worst = Math.max(...wide) / median(one);
  report({
    name: `wide sparse update (2 points, ends of a ${(bigPoints / 1e6).toFixed(0)}M series) vs one-point update`,
    value: fmt.ratio(ratio),
    budget: "<= 3x",
    ok: ratio <= 3,
    note: `medians of 21: ${fmt.ms(median(wide))} vs ${fmt.ms(median(one))}; worst wide ${fmt.ms(Math.max(...wide))} (${fmt.ratio(worst)}), worst one-point ${fmt.ms(Math.max(...one))}`,
  });
}

const LOAD_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { base, token, path, body, method, rounds } = workerData;
(async () => {
  let bytes = 0;
  for (let i = 0; i < rounds; i++) {
    const res = await fetch(base + path, {
      method,
      body: body ?? undefined,
      headers: { authorization: "Bearer " + token },
    });
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
    }
    if (!res.ok) throw new Error(method + " " + path + ": " + res.status);
  }
  parentPort.postMessage(bytes);
})().catch((e) => { throw e; });
`;

function inWorker(data: Record<string, unknown>): Promise<number> {
  return new Promise((resolve, reject) => {
    const w = new Worker(LOAD_WORKER, { eval: true, workerData: data });
    w.once("message", (bytes: number) => resolve(bytes));
    w.once("error", reject);
    w.once("exit", (code) => {
      if (code !== 0) reject(new Error(`load worker exited with ${code}`));
    });
  });
}

/**
 * A small GET's p99, idle and while one client posts 1M-point bodies and another reads the whole
 * 10M-point series.
 */
export async function latencyUnderLoad(target: LoadTarget, bigId: string, bigPoints: number): Promise<void> {
  const idle = await versionLatencies(target, () => true, 500);
  const idleP99 = quantile(idle, 0.99);
  report({
    name: "small GET while the server is idle (p99 of 500)",
    value: fmt.ms(idleP99),
    budget: "<= 5 ms",
    ok: idleP99 <= 5,
    note: `p50 ${fmt.ms(median(idle))}`,
  });
  const rounds = 3;
  const series: string[] = [];
  for (let i = 0; i < rounds; i++) {
    const o = await target.json<{ id: string }>("POST", "/api/objects", {
      name: `load ${i}`,
      type: "timeseries",
    });
    series.push(o.id);
  }
  const body = sensorBody(1_000_000, 1.5e9);
  let busy = 2;
  const done = () => {
    busy--;
  };
  // Each post goes to a series of its own, so every one is the ingest of a fresh 1M-point body.
  const postRounds = (async () => {
    let total = 0;
    for (const id of series) {
      total += await inWorker({
        base: target.base,
        token: target.token,
        method: "POST",
        body,
        rounds: 1,
        path: `/api/objects/${id}/timeseries`,
      });
    }
    return total;
  })().finally(done);
  const reading = inWorker({
    base: target.base,
    token: target.token,
    method: "GET",
    body: null,
    rounds: 1,
    path: `/api/objects/${bigId}/timeseries`,
  }).finally(done);
  const t0 = now();
  const loaded = await versionLatencies(target, () => busy === 0, 50);
  const [, readBytes] = await Promise.all([postRounds, reading]);
  const ms = now() - t0;
  const p99 = quantile(loaded, 0.99);
  report({
    name: `small GET while 1M-point bodies are posted and a ${(bigPoints / 1e6).toFixed(0)}M series is read (p99)`,
    value: fmt.ms(p99),
    budget: "<= 50 ms",
    ok: p99 <= 50,
    note: `${loaded.length} requests over ${(ms / 1000).toFixed(1)} s: p50 ${fmt.ms(median(loaded))}, max ${fmt.ms(Math.max(...loaded))}; ${rounds} posts of ${fmt.mb(body.length)}, read ${fmt.mb(readBytes)}`,
  });
}

/** 50 clients for `seconds`: appends to their own series, reads, plots, lengths and small GETs. */
export async function mixedLoad(target: LoadTarget, clients = 50, seconds = 30): Promise<void> {
  const ids: string[] = [];
  for (let i = 0; i < clients; i++) {
    const o = await target.json<{ id: string }>("POST", "/api/objects", {
      name: `mixed ${i}`,
      type: "timeseries",
    });
    ids.push(o.id);
  }
  const shared = ids[0]!;
  const latencies: number[] = [];
  let errors = 0;
  let firstError = "";
  const end = now() + seconds * 1000;
  const client = async (k: number) => {
    const own = ids[k]!;
    let t = 1_000;
    for (let step = 0; now() < end; step++) {
      const kind = step % 6;
      let path = `/api/objects/${own}/timeseries`;
      let method = "GET";
      let body: string | undefined;
      if (kind === 0 || kind === 3) {
        method = "POST";
        const pts = [];
        for (let j = 0; j < 20; j++) pts.push({ t: t++, d: (k * 31 + j) % 97 });
        body = JSON.stringify(pts);
      } else if (kind === 1) path += "?i1=-50";
      else if (kind === 2) path = `/api/objects/${shared}/timeseries/plot?columns=200`;
      else if (kind === 4) path += "/length";
      else path = "/api/server/version";
      const t0 = now();
      try {
        const res = await target.request(method, path, body);
        await res.arrayBuffer();
        if (!res.ok) {
          errors++;
          firstError ||= `${method} ${path}: ${res.status}`;
        }
      } catch (e) {
        errors++;
        firstError ||= `${method} ${path}: ${(e as Error).message}`;
      }
      latencies.push(now() - t0);
    }
  };
  const t0 = now();
  await Promise.all(ids.map((_, k) => client(k)));
  const ms = now() - t0;
  report({
    name: `mixed load, ${clients} clients for ${seconds} s: errors`,
    value: String(errors),
    budget: "0",
    ok: errors === 0,
    note: `${fmt.rate((latencies.length / ms) * 1000)} requests, p50 ${fmt.ms(median(latencies))}, p99 ${fmt.ms(quantile(latencies, 0.99))}${firstError ? `; first error ${firstError}` : ""}`,
  });
  info(`mixed load: ${latencies.length.toLocaleString("en-US")} requests in ${(ms / 1000).toFixed(1)} s`);
}
