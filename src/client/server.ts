import type { Capabilities } from "../core/resources.js";
import { HeedyError } from "./errors.js";
import type { RequestOptions, Session } from "./session.js";

/** What a real heedy server amounts to: no discovery document, so no extensions (decision 6). */
export interface HeedyCapabilities {
  server: "heedy";
  /** From `GET /api/server/version`; `""` if that could not be read either. */
  version: string;
  extensions: string[];
}

export type ServerCapabilities = Capabilities | HeedyCapabilities;

/** Known extension names of `GET /api/server/capabilities`. */
export const PLOT_EXTENSION = "timeseries.plot";
/** `POST …/timeseries/replace`: remove a selection and insert points in one transaction. */
export const REPLACE_EXTENSION = "timeseries.replace";
/** `?modified_time=true` on object reads: the instant of the last data write. */
export const MODIFIED_TIME_EXTENSION = "objects.modified_time";

/** Server-level reads: version and the extension list that decides which requests may be used. */
export class ServerInfo {
  private capabilitiesCache: ServerCapabilities | undefined;
  private capabilitiesPending: Promise<ServerCapabilities> | undefined;

  constructor(private readonly session: Session) {}

  /** `GET /api/server/version`, a plain-text answer such as `0.6.0` (contract 10). */
  async version(options?: RequestOptions): Promise<string> {
    return (await this.session.text("GET", "api/server/version", options)).trim();
  }

  /**
   * `GET /api/server/capabilities`. A real heedy server answers 404 there; that means "plain heedy,
   * no extensions", so callers fall back to heedy requests. The answer is cached once received
   * (a failure is not, so a later call retries).
   */
  capabilities(options?: RequestOptions): Promise<ServerCapabilities> {
    if (this.capabilitiesCache) return Promise.resolve(this.capabilitiesCache);
    // Callers asking at once (a page load's reads start together) share one request. A caller's
    // abort signal only ends its own wait, never the shared read.
    this.capabilitiesPending ??= this.readCapabilities().finally(() => {
      this.capabilitiesPending = undefined;
    });
    const pending = this.capabilitiesPending;
    const signal = options?.signal;
    if (!signal) return pending;
    return new Promise((ok, fail) => {
      const onAbort = () => fail(signal.reason);
      if (signal.aborted) return onAbort();
      signal.addEventListener("abort", onAbort, { once: true });
      pending.then(ok, fail).finally(() => signal.removeEventListener("abort", onAbort));
    });
  }

  private async readCapabilities(): Promise<ServerCapabilities> {
    let result: ServerCapabilities;
    try {
      result = normaliseCapabilities(await this.session.get<unknown>("api/server/capabilities", undefined));
    } catch (err) {
      if (!(err instanceof HeedyError) || err.status !== 404 || err.error === "malformed_response") throw err;
      let version = "";
      try {
        version = await this.version();
      } catch (versionErr) {
        if (!(versionErr instanceof HeedyError)) throw versionErr;
      }
      result = { server: "heedy", version, extensions: [] };
    }
    this.capabilitiesCache = result;
    return result;
  }

  /**
   * Capabilities known without asking: the explorer's server inlines them into the page that loads
   * the app, so the first reads need not wait a round trip. Normalised like an answer; later calls
   * are answered from them.
   */
  seedCapabilities(body: unknown): void {
    this.capabilitiesCache = normaliseCapabilities(body);
  }

  async hasExtension(name: string, options?: RequestOptions): Promise<boolean> {
    return (await this.capabilities(options)).extensions.includes(name);
  }
}

/** Untrusted input: keep only string extension names so a malformed document cannot break callers. */
function normaliseCapabilities(body: unknown): ServerCapabilities {
  const record = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const extensions = Array.isArray(record.extensions)
    ? record.extensions.filter((e): e is string => typeof e === "string")
    : [];
  const version = typeof record.version === "string" ? record.version : "";
  return { server: "heedy-explorer", version, extensions };
}

/** What every handle made by an App or Plugin shares: the HTTP session and the server facts. */
export interface Connection {
  readonly session: Session;
  readonly server: ServerInfo;
}
