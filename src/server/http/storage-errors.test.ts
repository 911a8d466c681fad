/**
 * A full database answers 507 and still accepts the deletes that free it; a read-only one answers
 * 503 (issue 10). The full database is real: heedy.json's limits.database_bytes caps it through
 * SQLite's max_page_count, which fails writes with SQLITE_FULL exactly as a full disk does.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Clients, clientsFor, createObject, expectOk } from "../test-http.js";
import { startTestServer, type TestServer } from "../testing.js";
import { HttpError } from "./errors.js";
import { storageError } from "./storage-errors.js";

const heedyShape = (error: string) => ({
  error,
  error_description: expect.any(String),
  id: expect.stringMatching(/^[0-9a-v]{20}$/),
});

/** Random values compress badly, so each batch really takes pages. */
const batch = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    t: from + i,
    d: { v: Math.random(), s: Math.random().toString(36) },
  }));

describe("a full database", () => {
  let server: TestServer;
  let c: Clients;
  beforeAll(async () => {
    server = await startTestServer({ limits: { database_bytes: 1_500_000 } });
    c = await clientsFor(server);
  });
  afterAll(() => server.close());

  it("refuses writes with 507, then deletes free space that writes reuse", async () => {
    const series = (await createObject(c.app, { name: "filler" })).id as string;
    const path = `/api/objects/${series}/timeseries`;
    let t = 0;
    let full: Awaited<ReturnType<typeof c.app.post>> | undefined;
    for (let i = 0; i < 200 && !full; i++) {
      const res = await c.app.post(path, batch(t, 500));
      if (res.status === 200) t += 500;
      else full = res;
    }
    expect(t).toBeGreaterThan(0);
    expect(full?.status).toBe(507);
    expect(full?.body).toEqual(heedyShape("insufficient_storage"));
    expect(String((full?.body as { error_description?: string } | undefined)?.error_description)).toMatch(
      /database is full/,
    );

    // Other writes fail the same way, never as a generic 500.
    const more = await c.app.post("/api/objects", {
      name: "one more",
      type: "timeseries",
      description: "x".repeat(50_000),
    });
    expect({ status: more.status, body: more.body }).toEqual({
      status: 507,
      body: heedyShape("insufficient_storage"),
    });

    // Deleting a range works while full, and the space is reused by the next insert.
    expectOk(await c.app.delete(`${path}?t1=0&t2=${t / 2}`));
    expectOk(await c.app.post(path, batch(t, 500)));

    // Deleting the object works too; a new one fits again.
    expectOk(await c.app.delete(`/api/objects/${series}`));
    const fresh = (await createObject(c.app, { name: "after" })).id as string;
    expectOk(await c.app.post(`/api/objects/${fresh}/timeseries`, batch(0, 500)));
  });
});

describe("a read-only database", () => {
  const dir = mkdtempSync(join(tmpdir(), "heedy-explorer-ro-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("maps SQLite's refusal to a 503 that says what to check", () => {
    const file = join(dir, "ro.db");
    const rw = new Database(file);
    rw.exec("CREATE TABLE t (x)");
    rw.close();
    const ro = new Database(file, { readonly: true });
    let thrown: unknown;
    try {
      ro.prepare("INSERT INTO t VALUES (1)").run();
    } catch (e) {
      thrown = e;
    } finally {
      ro.close();
    }
    expect((thrown as { code?: string }).code).toMatch(/^SQLITE_READONLY/);
    const mapped = storageError(thrown as Error);
    expect(mapped).toBeInstanceOf(HttpError);
    expect(mapped?.status).toBe(503);
    expect(mapped?.body("x")).toMatchObject({
      error: "read_only",
      error_description: expect.stringMatching(/cannot be written/),
    });
    expect(storageError(new Error("other"))).toBeUndefined();
  });
});
