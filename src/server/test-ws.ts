/**
 * A WebSocket client for the events socket's tests: the `ws` package (what @fastify/websocket
 * itself uses), since Node 20 has no global WebSocket.
 */
import WebSocket from "ws";

/** Node's constructor for the client library's injectable `WebSocket` option. */
export const NodeWebSocket = WebSocket as unknown;

/** An open events socket that records what it hears. */
export class TestSocket {
  readonly messages: Record<string, unknown>[] = [];
  pings = 0;
  closed: { code: number; reason: string } | undefined;
  private waiters: (() => void)[] = [];

  private constructor(private readonly ws: WebSocket) {
    ws.on("message", (data) => {
      this.messages.push(JSON.parse(data.toString("utf8")) as Record<string, unknown>);
      this.wake();
    });
    ws.on("ping", () => {
      this.pings++;
      this.wake();
    });
    ws.on("close", (code, reason) => {
      this.closed = { code, reason: reason.toString("utf8") };
      this.wake();
    });
  }

  /** Opens `/api/events` on `base` (http URL); rejects with the HTTP status if the upgrade is refused. */
  static open(base: string, headers: Record<string, string> = {}, query = ""): Promise<TestSocket> {
    const ws = new WebSocket(`${base.replace(/^http/, "ws")}/api/events${query}`, { headers });
    return new Promise((resolve, reject) => {
      ws.on("open", () => resolve(new TestSocket(ws)));
      ws.on("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.on("error", reject);
    });
  }

  send(cmd: unknown): void {
    this.ws.send(typeof cmd === "string" ? cmd : JSON.stringify(cmd));
  }

  /** Sends a ping command and waits for its pong: every earlier command has then been handled. */
  async sync(): Promise<void> {
    const before = this.messages.filter((m) => m.event === "pong").length;
    this.send({ cmd: "ping" });
    await this.until(() => this.messages.filter((m) => m.event === "pong").length > before);
  }

  /** Events other than pongs. */
  events(): Record<string, unknown>[] {
    return this.messages.filter((m) => m.event !== "pong");
  }

  async until(ok: () => boolean, ms = 3000): Promise<void> {
    const end = Date.now() + ms;
    while (!ok()) {
      if (Date.now() > end) throw new Error("timed out waiting on the events socket");
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
  }

  close(): void {
    this.ws.close();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const r of w) r();
  }
}
