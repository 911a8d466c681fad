/** The Schema tab's server calls: check the stored data against a draft, and save the schema. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type Datapoint, type HeedyObject, type JsonSchema, Timeseries } from "../../../../client/index";
import { objectUpdated } from "../../../shared/api/object-cache";
import { checkData } from "../../../shared/schema/schema-checks";
import { type ExplorerClient, useClient } from "../../../shared/session/session-store";

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
}

/**
 * Validates the most recent stored points (a sample of SCHEMA_CHECK_SAMPLE at most) against a
 * candidate schema with the server's ajv code, in the schema worker.
 */
export async function checkExistingData(
  client: ExplorerClient,
  object: HeedyObject,
  schema: JsonSchema,
): Promise<SchemaCheckReport> {
  const ts = new Timeseries(client, object);
  const [total, points] = await Promise.all([ts.length(), ts.query({ i1: -SCHEMA_CHECK_SAMPLE })]);
  const sample = Array.from(points);
  const verdicts = await checkData(
    schema,
    sample.map((p) => p.d),
  );
  let failed = 0;
  const examples: SchemaCheckReport["examples"] = [];
  for (let i = sample.length - 1; i >= 0; i--) {
    const problem = verdicts[i];
    if (!problem) continue;
    failed++;
    if (examples.length < 3) {
      examples.push({ point: sample[i]!, reason: `${problem.path || "value"} ${problem.message}` });
    }
  }
  return { total, checked: sample.length, failed, examples };
}

export function useSaveSchema(object: HeedyObject) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    meta: { inlineError: true },
    mutationFn: async (schema: JsonSchema) => {
      const ts = new Timeseries(client, object);
      await ts.setSchema(schema);
      return ts.data as HeedyObject;
    },
    onSuccess: (merged) => objectUpdated(queryClient, merged),
  });
}
