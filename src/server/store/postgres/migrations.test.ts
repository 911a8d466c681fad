/**
 * A database written before core step 2 (objects.modified_at) opens, gains the column with no
 * instant for its objects, and records one on the next data write, as SQLite's core step 4 does.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabase } from "../../testing.js";
import type { ObjectRecord } from "../index.js";
import { CORE_MIGRATIONS, migrate, TIMESERIES_MIGRATIONS } from "./migrations.js";
import { openPostgresStore } from "./open.js";

let db: Awaited<ReturnType<typeof testDatabase>>;

beforeAll(async () => {
  db = await testDatabase();
  if (!db) throw new Error("this suite runs in the postgres project (HEEDY_TEST_STORE=postgres)");
});
afterAll(async () => {
  await db?.drop();
});

describe("PostgreSQL core migrations", () => {
  it("adds modified_at to existing objects (null), set by the next touch", async () => {
    const pool = new pg.Pool({ connectionString: db!.url, max: 1 });
    try {
      const client = await pool.connect();
      try {
        await migrate(client, [
          ["core", CORE_MIGRATIONS.slice(0, 1)],
          ["timeseries", TIMESERIES_MIGRATIONS],
        ]);
        await client.query("INSERT INTO users (username, password_hash) VALUES ('old', 'x')");
        await client.query(
          `INSERT INTO objects (id, name, owner, type, created_date, last_modified)
           VALUES ('o1', 'before', 'old', 'timeseries', '2020-01-01', '2020-01-02')`,
        );
        const before = await client.query<{ version: number }>(
          "SELECT version FROM schema_versions WHERE family = 'core'",
        );
        expect(before.rows[0]!.version).toBe(1);
      } finally {
        client.release();
      }
    } finally {
      await pool.end();
    }

    const store = await openPostgresStore(db!.url);
    try {
      const old = (await store.objects.get("o1")) as ObjectRecord;
      expect(old.last_modified).toBe("2020-01-02");
      expect(old.modified_at).toBeNull();
      const at = new Date("2026-03-04T05:06:07.250Z");
      await store.objects.touch("o1", at);
      const touched = (await store.objects.get("o1")) as ObjectRecord;
      expect(touched.last_modified).toBe("2026-03-04");
      expect(touched.modified_at).toBe(at.getTime() / 1000);
    } finally {
      await store.close();
    }
    const check = new pg.Client({ connectionString: db!.url });
    await check.connect();
    try {
      const after = await check.query<{ version: number }>(
        "SELECT version FROM schema_versions WHERE family = 'core'",
      );
      expect(after.rows[0]!.version).toBe(CORE_MIGRATIONS.length);
    } finally {
      await check.end();
    }
  });
});
