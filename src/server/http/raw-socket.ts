/** Raw HTTP over node:net for tests of what a fetch client cannot send or observe. */
import { connect, type Socket } from "node:net";

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** The server closed the connection. */
  closed: boolean;
  /** Milliseconds from connecting to the end of the response. */
  ms: number;
}

export function openSocket(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Parses one response from what a socket received. */
export function parseResponse(text: string): Omit<RawResponse, "closed" | "ms"> | undefined {
  const end = text.indexOf("\r\n\r\n");
  if (end < 0) return undefined;
  const [statusLine = "", ...lines] = text.slice(0, end).split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers["content-length"] ?? "0");
  const raw = text.slice(end + 4);
  if (Buffer.byteLength(raw) < length) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(raw.slice(0, length));
  } catch {
    body = raw.slice(0, length);
  }
  return { status: Number(statusLine.split(" ")[1]), headers, body };
}

/**
 * Waits for one whole response on `socket` (then for the close, up to `closeWithinMs`). Rejects
 * after `timeoutMs` with what arrived so far.
 */
export function readResponse(socket: Socket, timeoutMs = 5000, closeWithinMs = 1000): Promise<RawResponse> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let text = "";
    let parsed: Omit<RawResponse, "closed" | "ms"> | undefined;
    let ms = 0;
    let closeTimer: NodeJS.Timeout | undefined;
    const finish = (closed: boolean) => {
      clearTimeout(timer);
      clearTimeout(closeTimer);
      if (parsed) resolve({ ...parsed, closed, ms });
      else reject(new Error(`no whole response (closed=${closed}): ${JSON.stringify(text.slice(0, 300))}`));
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString("utf8");
      if (!parsed) {
        parsed = parseResponse(text);
        if (parsed) {
          ms = Date.now() - started;
          closeTimer = setTimeout(() => finish(false), closeWithinMs);
        }
      }
    });
    socket.on("error", () => {});
    socket.on("close", () => finish(true));
  });
}

/** Sends `text` on a new connection and reads the answer. */
export async function rawRequest(url: string, text: string, timeoutMs = 5000): Promise<RawResponse> {
  const socket = await openSocket(url);
  const response = readResponse(socket, timeoutMs);
  socket.write(text);
  try {
    return await response;
  } finally {
    socket.destroy();
  }
}
