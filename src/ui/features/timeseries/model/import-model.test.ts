import { describe, expect, it } from "vitest";
import {
  batches,
  CHECK_BATCH,
  guessMapping,
  mappingProblem,
  planImport,
  readSource,
  skippedRowsCsv,
} from "./import-model";

describe("import", () => {
  const schema = { type: "number" };

  it("guesses the mapping and names every failing row", async () => {
    const source = readSource("x.csv", "t,d\n1,5\n2,abc\n3,7\nlater,8\n");
    const mapping = guessMapping(source);
    expect(mapping.map((m) => m.role)).toEqual(["t", "d"]);
    const plan = await planImport(source, mapping, schema);
    expect(plan.problems.map((p) => [p.row, p.line])).toEqual([
      [2, 3],
      [4, 5],
    ]);
    expect(plan.problems[0]!.message).toMatch(/fails the schema: must be number/);
    expect(plan.problems[1]!.message).toMatch(/not a unix time or a date/);
  });

  it("checks order and overlap as the server does", async () => {
    const source = readSource("x.csv", "t,dt,d\n1,5,1\n3,0,2\n10,0,3\n10,0,4\n");
    const plan = await planImport(source, guessMapping(source), {});
    expect(plan.problems.map((p) => p.row)).toEqual([2, 4]);
  });

  it("builds object data from field columns and reads ISO times", async () => {
    const source = readSource("x.csv", "time,temp,sky\n2024-05-01T00:00:00Z,20.5,sunny\n");
    const mapping = guessMapping(source);
    expect(mappingProblem(mapping)).toBeNull();
    const plan = await planImport(source, mapping, {});
    expect(plan.points).toEqual([{ t: Date.UTC(2024, 4, 1) / 1000, d: { temp: 20.5, sky: "sunny" } }]);
  });

  it("reads JSON arrays of datapoints", async () => {
    const source = readSource("x.json", '[{"t":1,"d":{"a":1}},{"t":2,"dt":3,"d":"x"}]');
    const plan = await planImport(source, guessMapping(source), {});
    expect(plan.points).toEqual([
      { t: 1, d: { a: 1 } },
      { t: 2, dt: 3, d: "x" },
    ]);
  });

  it("splits into batches that name their rows", () => {
    const points = Array.from({ length: 25 }, (_, i) => ({ t: i, d: i }));
    expect(batches(points, 10).map((b) => [b.firstRow, b.lastRow])).toEqual([
      [1, 10],
      [11, 20],
      [21, 25],
    ]);
  });
});

describe("import schema check (core's ajv code, in the schema worker; inline under vitest)", () => {
  const schema = {
    type: "object",
    required: ["temp"],
    properties: { temp: { type: "number", minimum: -50 }, sky: { enum: ["sunny", "cloudy"] } },
    additionalProperties: false,
  };
  const reasons = async (values: unknown[], s: unknown = schema) => {
    const source = readSource("x.json", JSON.stringify(values.map((d, i) => ({ t: i + 1, d }))));
    const plan = await planImport(source, guessMapping(source), s);
    return plan.problems.map((p) => `${p.row}: ${p.message.replace(/^.* fails the schema: /, "")}`);
  };

  it("names the failing path and ajv's reason", async () => {
    expect(
      await reasons([
        { temp: 3, sky: "sunny" },
        { sky: "sunny" },
        { temp: -60 },
        { temp: 1, sky: "rain" },
        { temp: 1, x: 1 },
      ]),
    ).toEqual([
      "2: must have required property 'temp'",
      "3: temp must be >= -50",
      expect.stringMatching(/^4: sky must be equal to one of the allowed values/),
      expect.stringMatching(/^5: must NOT have additional properties/),
    ]);
    expect(await reasons([3.5], { type: "integer" })).toEqual(["1: must be integer"]);
    expect(await reasons(["twelve"], { type: "number" })).toEqual(["1: must be number"]);
  });

  it("checks every row of a large file, slice by slice", async () => {
    const n = CHECK_BATCH * 2 + 500;
    const lines = Array.from({ length: n }, (_, i) =>
      i === 5 || i === CHECK_BATCH + 7 || i === n - 1 ? `${i + 1},"x"` : `${i + 1},${i}`,
    );
    const source = readSource("x.csv", `t,d\n${lines.join("\n")}\n`);
    const plan = await planImport(source, guessMapping(source), { type: "number" });
    expect(plan.problems.map((p) => p.row)).toEqual([6, CHECK_BATCH + 8, n]);
    expect(plan.points).toHaveLength(n - 3);
  });

  it("stops when the check is aborted", async () => {
    const source = readSource("x.csv", "t,d\n1,1\n");
    const controller = new AbortController();
    controller.abort();
    await expect(
      planImport(source, guessMapping(source), { type: "number" }, 10, controller.signal),
    ).rejects.toThrow();
  });
});

describe("import: lines, default mapping, sort and skip", () => {
  it("names the real lines of rows after a quoted field that spans lines", async () => {
    const source = readSource("x.csv", 't,d\n1,"two\nline note"\n2,abc\n3,"x\ny\nz"\nlater,8\n');
    const plan = await planImport(source, guessMapping(source), {});
    expect(plan.problems.map((p) => [p.row, p.line, p.endLine])).toEqual([[4, 8, 8]]);
    expect(source.lines).toEqual([2, 4, 5, 8]);
    expect(source.endLines).toEqual([3, 4, 7, 8]);
  });

  it("reports an open quote at its row, with the lines it swallowed", async () => {
    const source = readSource("x.csv", 't,d\n1,1\n2,"open\n3,3\n4,4\n');
    const plan = await planImport(source, guessMapping(source), {});
    expect(plan.points).toEqual([{ t: 1, d: 1 }]);
    expect(plan.problems).toEqual([
      { row: 2, line: 3, endLine: 5, message: expect.stringMatching(/opened on line 3 never closes/) },
    ]);
  });

  it("guesses a mapping its own check accepts when a data column sits beside others", () => {
    const source = readSource("x.csv", "t,dt,d,note\n1,0,5,hello\n");
    const mapping = guessMapping(source);
    expect(mapping.map((m) => m.role)).toEqual(["t", "dt", "d", "ignore"]);
    expect(mappingProblem(mapping)).toBeNull();
    const fields = guessMapping(readSource("x.csv", "t,d.temp,sky,import_problem\n1,2,3,x\n"));
    expect(fields).toEqual([
      { role: "t", field: "" },
      { role: "field", field: "temp" },
      { role: "field", field: "sky" },
      { role: "ignore", field: "" },
    ]);
  });

  it("sorts rows by time on request, and still reports equal times", async () => {
    const source = readSource("x.csv", "t,d\n3,c\n1,a\n2,b\n2,dup\n");
    const unsorted = await planImport(source, guessMapping(source), {});
    expect(unsorted.invalid).toBe(3);
    const sorted = await planImport(source, guessMapping(source), {}, 10, undefined, { sort: true });
    expect(sorted.points.map((p) => p.d)).toEqual(["a", "b", "c"]);
    expect(sorted.problems).toEqual([{ row: 4, line: 5, endLine: 5, message: "has the same time as row 3" }]);
  });

  it("counts every invalid row, lists a few, and writes the skipped ones as CSV", async () => {
    const source = readSource("x.csv", 't,d\n1,1\nx,2\n3,"a, b"\ny,4\nz,5\n');
    const plan = await planImport(source, guessMapping(source), { type: "number" }, 2);
    expect(plan.invalid).toBe(4);
    expect(plan.problems).toHaveLength(2);
    expect(plan.points).toEqual([{ t: 1, d: 1 }]);
    const csv = skippedRowsCsv(source, plan);
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe("t,d,import_problem");
    expect(lines[1]).toBe('x,2,"line 3: the time ""x"" is not a unix time or a date"');
    expect(lines[2]).toMatch(/^3,"a, b","line 4: the data ""a, b"" fails the schema: must be number"$/);
    expect(lines).toHaveLength(6);
    // The file imports back: the problem column is ignored.
    const again = readSource("skipped.csv", csv);
    expect(guessMapping(again).map((m) => m.role)).toEqual(["t", "d", "ignore"]);
  });
});
