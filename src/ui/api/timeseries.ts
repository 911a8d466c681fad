/** Timeseries reads and writes of the object page (part 1: length, recent points, append, schema). */
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type App, type Datapoint, type HeedyObject, type JsonSchema, Timeseries } from "../../client/index";
import { compileInBrowser } from "../browser-validation";
import { useClient } from "../state/session";
import { queryKeys } from "./keys";

export function timeseriesHandle(client: App, object: HeedyObject): Timeseries {
  return new Timeseries(client, object);
}

export function lengthQuery(client: App, object: HeedyObject) {
  return queryOptions({
    queryKey: queryKeys.length(object.id),
    queryFn: ({ signal }) => timeseriesHandle(client, object).length({ signal }),
  });
}

export function recentQuery(client: App, object: HeedyObject, count: number) {
  return queryOptions({
    queryKey: queryKeys.recent(object.id, count),
    meta: { inlineError: true },
    queryFn: async ({ signal }): Promise<Datapoint[]> => {
      const points = await timeseriesHandle(client, object).query({ i1: -count, signal });
      return Array.from(points).reverse();
    },
  });
}

export function useLength(object: HeedyObject) {
  return useQuery(lengthQuery(useClient(), object));
}

export function useRecentPoints(object: HeedyObject, count: number) {
  return useQuery(recentQuery(useClient(), object, count));
}

export interface AppendInput {
  d: unknown;
  /** Unix seconds; now when left out. */
  t?: number;
  /** Seconds. */
  dt?: number;
}

/**
 * Adds one point. Afterwards every view of the series (`['timeseries', id]`), the object (its
 * last-modified date) and the listings are re-read, so nothing stale stays on the screen.
 */
export function useAppend(object: HeedyObject) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: (input: AppendInput) =>
      timeseriesHandle(client, object).insert(input.d, {
        t: input.t,
        dt: input.dt,
      }),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.timeseriesAll(object.id) }),
        queryClient.invalidateQueries({ queryKey: queryKeys.object(object.id) }),
        queryClient.invalidateQueries({ queryKey: queryKeys.objectsAll() }),
      ]),
  });
}

/** How many points a schema check looks at: the most recent ones, so the check stays quick. */
export const SCHEMA_CHECK_SAMPLE = 10_000;

export interface SchemaCheckReport {
  /** Points in the series. */
  total: number;
  /** Points checked (the last SCHEMA_CHECK_SAMPLE at most). */
  checked: number;
  failed: number;
  /** The first few failing points, newest first, with ajv's reason. */
  examples: { point: Datapoint; reason: string }[];
  /** False when the page's CSP kept the browser from compiling the schema (nothing was checked). */
  available: boolean;
}

/** Validates the most recent stored points against a candidate schema with the server's ajv code. */
export async function checkExistingData(
  client: App,
  object: HeedyObject,
  schema: JsonSchema,
): Promise<SchemaCheckReport> {
  const ts = timeseriesHandle(client, object);
  const validate = compileInBrowser(schema);
  if (validate === null) return { total: 0, checked: 0, failed: 0, examples: [], available: false };
  const [total, points] = await Promise.all([ts.length(), ts.query({ i1: -SCHEMA_CHECK_SAMPLE })]);
  let failed = 0;
  const examples: SchemaCheckReport["examples"] = [];
  for (let i = points.length - 1; i >= 0; i--) {
    const point = points[i]!;
    if (validate(point.d) === true) continue;
    failed++;
    if (examples.length < 3) {
      const e = validate.errors?.[0];
      examples.push({
        point,
        reason: e ? `${e.instancePath || "value"} ${e.message ?? "is invalid"}` : "invalid",
      });
    }
  }
  return { total, checked: points.length, failed, examples, available: true };
}

export function useSaveSchema(object: HeedyObject) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: async (schema: JsonSchema) => {
      const ts = timeseriesHandle(client, object);
      await ts.setSchema(schema);
      return ts.data as HeedyObject;
    },
    onSuccess: (merged) => {
      queryClient.setQueryData(queryKeys.object(merged.id), merged);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.object(merged.id) }),
        queryClient.invalidateQueries({ queryKey: queryKeys.objectsAll() }),
      ]);
    },
  });
}
