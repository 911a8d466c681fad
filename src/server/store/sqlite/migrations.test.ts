import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { SqlSessions } from "../records.js";
import { CORE_MIGRATIONS, migrate } from "./migrations.js";
import { sqlitePort } from "./records.js";

describe("session timestamps migration", () => {
  it("gives sessions from before it instants from their recorded dates", async () => {
    const db = new Database(":memory:");
    try {
      migrate(db, "core", CORE_MIGRATIONS.slice(0, 2));
      db.prepare("INSERT INTO users (username, password_hash) VALUES ('u', 'x')").run();
      db.prepare(
        `INSERT INTO sessions (sessionid, token_hash, username, created_date, last_access_date)
         VALUES ('s1', 'h1', 'u', '2020-01-02', '2024-05-06')`,
      ).run();
      migrate(db, "core", CORE_MIGRATIONS);
      const [s] = await new SqlSessions(sqlitePort(db, null)).list("u");
      expect(s).toMatchObject({
        created_at: Date.UTC(2020, 0, 2),
        used_at: Date.UTC(2024, 4, 6),
        created_date: "2020-01-02",
        last_access_date: "2024-05-06",
      });
      // Far older than any max age: the first sweep ends it.
      expect(
        await new SqlSessions(sqlitePort(db, null)).deleteExpired(Date.UTC(2024, 4, 1), Date.UTC(2024, 0, 1)),
      ).toBe(1);
    } finally {
      db.close();
    }
  });
});
