/**
 * The HTTP edge's bounds, set in heedy.json under `"limits"` (every key optional):
 *
 * | key | default | what it bounds |
 * |---|---|---|
 * | `body_bytes` | 4,000,000 | any request body (heedy's `request_body_byte_limit`, contract 1.6) |
 * | `insert_body_bytes` | 536,870,912 | a timeseries insert body (heedy: unlimited; this guards V8's string limit) |
 * | `header_bytes` | 16,384 | request line plus headers (Node's default); more is 431, a longer URL alone 414 |
 * | `headers_timeout_ms` | 30,000 | time to receive the request line and headers (408) |
 * | `request_timeout_ms` | 300,000 | time to receive a whole request, body included (408) |
 * | `body_idle_timeout_ms` | 30,000 | longest silence while a body is being read (408) |
 * | `keep_alive_timeout_ms` | 10,000 | how long an idle keep-alive connection stays open |
 * | `max_connections` | 256 | open connections; one more is answered 503 and closed |
 * | `database_bytes` | 0 (none) | size of the SQLite database; a write beyond it is 507 |
 * | `event_sockets` | 16 | open `/api/events` sockets of one user or app; one more is 429 |
 * | `event_subscriptions` | 256 | subscriptions on one socket; one more closes it (1011) |
 * | `event_message_bytes` | 16,384 | one command on the socket; a larger frame closes it (1009) |
 * | `event_ping_idle_ms` | 900,000 | silence on a socket before the server pings it (heedy: 15 min) |
 */
export interface HttpLimits {
  bodyBytes: number;
  insertBodyBytes: number;
  headerBytes: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  bodyIdleTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
  /** 0: no limit beyond the disk. */
  databaseBytes: number;
  eventSockets: number;
  eventSubscriptions: number;
  eventMessageBytes: number;
  eventPingIdleMs: number;
}

export const DEFAULT_LIMITS: Readonly<HttpLimits> = {
  bodyBytes: 4_000_000,
  insertBodyBytes: 512 * 1024 * 1024,
  headerBytes: 16 * 1024,
  headersTimeoutMs: 30_000,
  requestTimeoutMs: 300_000,
  bodyIdleTimeoutMs: 30_000,
  keepAliveTimeoutMs: 10_000,
  maxConnections: 256,
  databaseBytes: 0,
  eventSockets: 16,
  eventSubscriptions: 256,
  eventMessageBytes: 16 * 1024,
  eventPingIdleMs: 15 * 60_000,
};

const CONFIG_KEYS: Readonly<Record<string, keyof HttpLimits>> = {
  body_bytes: "bodyBytes",
  insert_body_bytes: "insertBodyBytes",
  header_bytes: "headerBytes",
  headers_timeout_ms: "headersTimeoutMs",
  request_timeout_ms: "requestTimeoutMs",
  body_idle_timeout_ms: "bodyIdleTimeoutMs",
  keep_alive_timeout_ms: "keepAliveTimeoutMs",
  max_connections: "maxConnections",
  database_bytes: "databaseBytes",
  event_sockets: "eventSockets",
  event_subscriptions: "eventSubscriptions",
  event_message_bytes: "eventMessageBytes",
  event_ping_idle_ms: "eventPingIdleMs",
};

/** Keys that may be 0 to mean "no limit"; for the others 0 would refuse everything. */
const ZERO_ALLOWED = new Set<keyof HttpLimits>(["databaseBytes"]);

/**
 * The `limits` object of heedy.json over the defaults. Throws a plain sentence naming the key when
 * a value is not a whole number in range, so a typo never silently leaves a limit off.
 */
export function parseLimits(config: unknown): HttpLimits {
  const out: HttpLimits = { ...DEFAULT_LIMITS };
  if (config === undefined || config === null) return out;
  if (typeof config !== "object" || Array.isArray(config)) throw new Error("limits must be an object");
  for (const [name, value] of Object.entries(config as Record<string, unknown>)) {
    const key = CONFIG_KEYS[name];
    if (key === undefined) {
      throw new Error(`limits.${name} is not a known limit (${Object.keys(CONFIG_KEYS).join(", ")})`);
    }
    const min = ZERO_ALLOWED.has(key) ? 0 : 1;
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
      throw new Error(`limits.${name} must be a whole number >= ${min}`);
    }
    out[key] = value;
  }
  return out;
}
