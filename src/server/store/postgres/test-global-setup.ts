/**
 * vitest globalSetup: one throwaway cluster per run, its URL handed to the workers through
 * HEEDY_TEST_PG_CLUSTER. A missing PostgreSQL fails the run (under CI=true and everywhere else):
 * the PostgreSQL suites never skip silently.
 */
import { startCluster } from "./test-cluster.js";

export default async function setup(): Promise<() => void> {
  if (process.env.HEEDY_TEST_PG_CLUSTER) return () => {};
  const cluster = await startCluster();
  process.env.HEEDY_TEST_PG_CLUSTER = cluster.url;
  return () => cluster.stop();
}
