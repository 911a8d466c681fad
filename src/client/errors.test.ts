import { describe, expect, it } from "vitest";
import { App } from "./app.js";
import {
  errorFromResponse,
  errorKind,
  HeedyError,
  HeedyNetworkError,
  HeedyResponseError,
  isAbortError,
} from "./errors.js";
import { recordingFetch } from "./test-fetch.js";

const BASE = "http://heedy.test/";

describe("HeedyError", () => {
  it("prints exactly like the Python client's HeedyException", () => {
    const err = new HeedyError("bad_query", "The data failed schema validation", 400, "cbn3vh2v2bdvprl6s0fg");
    expect(String(err)).toBe("bad_query: The data failed schema validation");
    expect(err.message).toBe("bad_query: The data failed schema validation");
    expect(`${err}`).toBe("bad_query: The data failed schema validation");
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe("HeedyError");
  });

  it("keeps the fields of the error body and the status", () => {
    const err = HeedyError.fromBody({ error: "not_found", error_description: "gone", id: "x1" }, 403);
    expect(err.error).toBe("not_found");
    expect(err.errorDescription).toBe("gone");
    expect(err.status).toBe(403);
    expect(err.id).toBe("x1");
    expect(err.toJSON()).toEqual({ error: "not_found", error_description: "gone", id: "x1" });
  });

  it("has no id for authentication failures (contract 1.4)", () => {
    const err = errorFromResponse(
      `${BASE}api/objects`,
      401,
      '{"error":"access_denied","error_description":"access_denied: invalid API key"}',
    );
    expect(err).toBeInstanceOf(HeedyError);
    expect(err.id).toBeUndefined();
    expect(err.toJSON()).toEqual({
      error: "access_denied",
      error_description: "access_denied: invalid API key",
    });
    expect(errorKind(err)).toBe("token_rejected");
  });
});

describe("errorFromResponse", () => {
  it("maps heedy error bodies to HeedyError with the server's own type", () => {
    const err = errorFromResponse(
      `${BASE}api/objects/x`,
      400,
      '{"error":"(root)","error_description":"Additional property foo is not allowed","id":"a"}',
    );
    expect(err.constructor).toBe(HeedyError);
    expect(String(err)).toBe("(root): Additional property foo is not allowed");
    expect(errorKind(err)).toBe("request_failed");
  });

  it("maps a non-JSON error page to malformed_response", () => {
    const err = errorFromResponse(`${BASE}api/objects`, 502, "<html>Bad gateway</html>");
    expect(err).toBeInstanceOf(HeedyResponseError);
    expect(err.error).toBe("malformed_response");
    expect(err.status).toBe(502);
    expect((err as HeedyResponseError).bodyStart).toBe("<html>Bad gateway</html>");
    expect(errorKind(err)).toBe("not_heedy");
  });

  it("maps JSON without error/error_description to malformed_response", () => {
    const err = errorFromResponse(`${BASE}api/objects`, 404, '{"message":"Route GET:/api/x not found"}');
    expect(err).toBeInstanceOf(HeedyResponseError);
    expect(errorKind(err)).toBe("not_heedy");
  });
});

describe("errors raised by requests", () => {
  it("a rejected token is a 401 HeedyError", async () => {
    const rec = recordingFetch(BASE);
    rec.reply({
      status: 401,
      json: { error: "access_denied", error_description: "access_denied: invalid API key" },
    });
    const app = new App("wrong", BASE, { fetch: rec.fetch });
    const err = await app.objects().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HeedyError);
    expect((err as HeedyError).status).toBe(401);
    expect(errorKind(err)).toBe("token_rejected");
  });

  it("an unreachable server is a HeedyNetworkError", async () => {
    const rec = recordingFetch(BASE);
    rec.reply(new TypeError("fetch failed"));
    const app = new App("token", BASE, { fetch: rec.fetch });
    const err = await app.read().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HeedyNetworkError);
    expect((err as HeedyError).error).toBe("network_error");
    expect((err as HeedyError).status).toBe(0);
    expect(String(err)).toContain("http://heedy.test/api/apps/self");
    expect(errorKind(err)).toBe("unreachable");
  });

  it("an unreachable real port is a HeedyNetworkError with the global fetch", async () => {
    // Port 9 (discard) on localhost is closed on test machines: the connection is refused.
    const app = new App("token", "http://127.0.0.1:9");
    const err = await app.read().catch((e: unknown) => e);
    expect(errorKind(err)).toBe("unreachable");
  });

  it("a success answer that is not JSON means this is not a heedy server", async () => {
    const rec = recordingFetch(BASE);
    rec.reply({ text: "<!doctype html><title>My blog</title>" });
    const app = new App("token", BASE, { fetch: rec.fetch });
    const err = await app.objects().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HeedyResponseError);
    expect((err as HeedyError).error).toBe("malformed_response");
    expect(errorKind(err)).toBe("not_heedy");
  });

  it("an aborted request rejects with the AbortError itself", async () => {
    const rec = recordingFetch(BASE);
    const app = new App("token", BASE, { fetch: rec.fetch });
    const controller = new AbortController();
    controller.abort();
    const err = await app.objects({ signal: controller.signal }).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(HeedyError);
    expect(isAbortError(err)).toBe(true);
    expect(errorKind(err)).toBe("aborted");
    expect(rec.last().signal).toBe(controller.signal);
  });

  it("a session-wide signal applies when a call passes none", async () => {
    const rec = recordingFetch(BASE);
    const controller = new AbortController();
    const app = new App("token", BASE, { fetch: rec.fetch, signal: controller.signal });
    rec.reply({ json: [] });
    await app.objects();
    expect(rec.last().signal).toBe(controller.signal);
  });

  it("classifies foreign values as unknown", () => {
    expect(errorKind(new Error("x"))).toBe("unknown");
    expect(errorKind("x")).toBe("unknown");
  });
});
