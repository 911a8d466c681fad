/**
 * Citus readiness, read from the live schema: every unique key (primary keys included) and every
 * foreign key of a distributed table must include its distribution column, or
 * create_distributed_table would refuse it (docs/scaling.md).
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabase } from "../../testing.js";
import { openPostgresStore } from "./open.js";

/** Distributed tables and their distribution column; every other table is a reference table. */
const DISTRIBUTED: Record<string, string> = { timeseries: "object_id", timeseries_chunks: "object_id" };

let db: Awaited<ReturnType<typeof testDatabase>>;
let client: pg.Client;

beforeAll(async () => {
  db = await testDatabase();
  if (!db) throw new Error("this suite runs in the postgres project (HEEDY_TEST_STORE=postgres)");
  await (await openPostgresStore(db.url)).close();
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await db?.drop();
});

describe("Citus layout of the live schema", () => {
  it("every unique and foreign key of a distributed table includes its distribution column", async () => {
    const r = await client.query<{ table_name: string; conname: string; contype: string; columns: string[] }>(
      `SELECT c.relname AS table_name, k.conname, k.contype,
              array_agg(a.attname::text ORDER BY a.attname) AS columns
       FROM pg_constraint k
       JOIN pg_class c ON c.oid = k.conrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
       JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = ANY(k.conkey)
       WHERE k.contype IN ('p', 'u', 'f')
       GROUP BY c.relname, k.conname, k.contype`,
    );
    const checked = r.rows.filter((row) => DISTRIBUTED[row.table_name] !== undefined);
    // Both tables have a primary key, and chunks refer to their series.
    expect(checked.map((row) => `${row.table_name}:${row.contype}`).sort()).toEqual(
      expect.arrayContaining(["timeseries:p", "timeseries_chunks:f", "timeseries_chunks:p"]),
    );
    const missing = checked
      .filter((row) => !row.columns.includes(DISTRIBUTED[row.table_name]!))
      .map((row) => `${row.table_name}.${row.conname} (${row.columns.join(", ")})`);
    expect(missing).toEqual([]);
  });

  it("every table is either distributed or small enough to be a reference table", async () => {
    const r = await client.query<{ relname: string }>(
      `SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY relname`,
    );
    const reference = r.rows.map((x) => x.relname).filter((t) => DISTRIBUTED[t] === undefined);
    // The list docs/scaling.md gives create_reference_table calls for.
    expect(reference).toEqual([
      "apps",
      "kv_apps",
      "kv_objects",
      "kv_users",
      "objects",
      "schema_versions",
      "sessions",
      "user_settings",
      "users",
    ]);
  });
});
