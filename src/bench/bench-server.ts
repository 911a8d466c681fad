/**
 * The bench's server: a real `node dist/node/server/main.js start …` child process (so its RSS
 * and CPU are its own), on a data folder made by `create`, on SQLite or on a PostgreSQL database.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, waitForServer } from "../server/test-net.js";
import { now, sensorPoint } from "./bench-util.js";

const here = dirname(fileURLToPath(import.meta.url));
export const MAIN = resolve(here, "../../dist/node/server/main.js");
export const TOKEN = "bench-token-0123456789";
/** Points per REST insert in the ingest figures. */
export const BATCH = 10_000;

/** A data folder with the bench user and its app token; `database` puts its data in PostgreSQL. */
export function createFolder(dir: string, database?: string): void {
  execFileSync(
    process.execPath,
    [
      MAIN,
      "create",
      dir,
      "--username",
      "bench",
      "--password",
      "bench-password",
      "--testapp",
      TOKEN,
      ...(database ? ["--database", database] : []),
    ],
    { stdio: "ignore" },
  );
}

export function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) * 1024 : 0;
}

/** A GET timed to its last byte, counting the bytes on the wire (fetch would decode them). */
export function wireRead(
  url: string,
  headers: Record<string, string>,
): Promise<{ ms: number; bytes: number }> {
  const t0 = now();
  return new Promise((ok, fail) => {
    httpRequest(url, { headers }, (res) => {
      let bytes = 0;
      res.on("data", (c: Buffer) => {
        bytes += c.length;
      });
      res.on("end", () => ok({ ms: now() - t0, bytes }));
    })
      .on("error", fail)
      .end();
  });
}

export class BenchServer {
  private child?: ChildProcess;
  base = "";
  /** Extra `start` flags, e.g. `--compression on`. */
  args: string[] = [];
  /** Extra node flags for the child, e.g. `--cpu-prof`. */
  nodeArgs: string[] = [];
  constructor(readonly dir: string) {}

  async start(): Promise<void> {
    const port = await freePort();
    this.base = `http://127.0.0.1:${port}`;
    // heedy.json names the database; an inherited HEEDY_DATABASE_URL must not override it.
    const env = { ...process.env };
    delete env.HEEDY_DATABASE_URL;
    this.child = spawn(
      process.execPath,
      [
        ...this.nodeArgs,
        MAIN,
        "start",
        this.dir,
        "--host",
        "127.0.0.1",
        "--port",
        String(port),
        ...this.args,
      ],
      { stdio: ["ignore", "ignore", "inherit"], env },
    );
    await waitForServer(`${this.base}/api/server/version`, { child: this.child, timeoutMs: 20_000 });
  }

  get pid(): number {
    return this.child!.pid!;
  }

  async stop(): Promise<void> {
    this.agent.destroy();
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((ok) => {
      child.once("exit", () => ok());
      child.kill("SIGTERM");
    });
  }

  readonly token = TOKEN;

  /**
   * Kept-alive sockets for `post`: the ingest figures send hundreds of 10k-point bodies, and
   * fetch (undici, its streams and promises) cost the bench process ~0.4 cores at 1M points/s on
   * a 2-core machine, taken from the server it measures.
   */
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly postHeaders = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };

  /** POSTs a ready body over node:http; resolves to the status, with the answer drained. */
  post(path: string, body: Buffer): Promise<{ status: number; text: string }> {
    return new Promise((ok, fail) => {
      const req = httpRequest(
        `${this.base}${path}`,
        {
          method: "POST",
          agent: this.agent,
          headers: { ...this.postHeaders, "content-length": body.length },
        },
        (res) => {
          const parts: Buffer[] = [];
          res.on("data", (c: Buffer) => parts.push(c));
          res.on("end", () => ok({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString() }));
          res.on("error", fail);
        },
      );
      req.on("error", fail);
      req.end(body);
    });
  }

  async request(method: string, path: string, body?: string | Buffer): Promise<Response> {
    return fetch(`${this.base}${path}`, {
      method,
      // A Buffer is a Uint8Array, which fetch sends as is; the DOM typings do not say so.
      body: body as unknown as BodyInit | undefined,
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    });
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.request(method, path, body === undefined ? undefined : JSON.stringify(body));
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  }
}

export function batchBody(from: number, n: number, start: number): string {
  const pts = new Array(n);
  for (let k = 0; k < n; k++) pts[k] = sensorPoint(from + k, start);
  return JSON.stringify(pts);
}
