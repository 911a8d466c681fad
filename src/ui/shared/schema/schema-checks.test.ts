import { describe, expect, it } from "vitest";
import { checkData, checkSchema } from "./schema-checks";

// Under vitest there is no Worker, so the checks run inline with the same core code.
describe("schema checks", () => {
  it("checks schemas against the meta-schema", async () => {
    expect(await checkSchema({ type: "number" })).toBeNull();
    expect(await checkSchema({ type: "numbr" })).toMatchObject({ path: "/type" });
  });
  it("checks values and names the failing field", async () => {
    const schema = { type: "object", properties: { n: { type: "integer" } } };
    expect(await checkData(schema, [{ n: 1 }, { n: 1.5 }])).toEqual([
      null,
      expect.objectContaining({ path: "/n", keyword: "type" }),
    ]);
  });
  it("fails every value with the compile error of an unusable schema", async () => {
    const out = await checkData({ $ref: "#/definitions/missing" }, [1, 2]);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({ keyword: "schema" });
  });
});
