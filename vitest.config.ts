import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

/**
 * Two projects: every suite on the default (SQLite), and the store contract and server
 * integration suites again on PostgreSQL, in a throwaway cluster started once per run. Suites
 * that test SQLite itself (its files, its full-disk errors), the CLI and database-free code run
 * only in the first.
 */
const NOT_ON_POSTGRES = [
  // Database-free: once is enough.
  "src/server/store/timeseries-codec.test.ts",
  // SQLite itself: its migration steps, its files, its crash durability.
  "src/server/store/sqlite/**",
  "src/server/crash-durability.test.ts",
  "src/server/route-matrix.test.ts",
  "src/server/http/storage-errors.test.ts",
  "src/server/data-dir.test.ts",
  // The CLI suite spawns processes on SQLite folders; PostgreSQL adds nothing there but time.
  "src/server/main.test.ts",
];

/** Suites that need the PostgreSQL cluster: moving a folder onto it, several processes on it. */
const ONLY_ON_POSTGRES = [
  "src/server/store/postgres/**",
  "src/server/migrate.test.ts",
  "src/server/multi-process.test.ts",
  "src/server/events/pg-bus.test.ts",
];

export default defineConfig({
  plugins: [react()],
  test: {
    environment: "node",
    setupFiles: ["src/ui/shared/testing/setup-dom.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    env: { TZ: "UTC" },
    projects: [
      {
        extends: true,
        test: {
          name: "sqlite",
          include: ["src/**/*.test.{ts,tsx}"],
          exclude: ONLY_ON_POSTGRES,
        },
      },
      {
        extends: true,
        test: {
          name: "postgres",
          include: ["src/server/**/*.test.ts"],
          exclude: NOT_ON_POSTGRES,
          env: { TZ: "UTC", HEEDY_TEST_STORE: "postgres" },
          globalSetup: ["src/server/store/postgres/test-global-setup.ts"],
        },
      },
    ],
  },
});
