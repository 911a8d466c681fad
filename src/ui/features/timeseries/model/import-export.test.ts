import { describe, expect, it } from "vitest";
import type { App, HeedyObject } from "../../../../client/index";
import { CSV_HEADER, csvRows, dataToText, parseCsv, textToData } from "./csv";
import { BlobSink, exportRange } from "./export";
import { batches, CHECK_BATCH, guessMapping, mappingProblem, planImport, readSource } from "./import-model";

describe("csv", () => {
  it("round-trips values through the d column", () => {
    for (const d of [5, 1.5, "hello", "5", "true", "", 'say "hi", ok', { a: 1 }, [1, 2], null, true]) {
      const rows = parseCsv(CSV_HEADER + csvRows([{ t: 1, d }]));
      expect(textToData(rows[1]![2]!)).toEqual(d);
    }
    expect(dataToText("plain text")).toBe("plain text");
  });

  it("parses quotes, CRLF and embedded newlines; names an unterminated quote's line", () => {
    expect(parseCsv('a,b\r\n"x\ny",2\n3,"4"""\n')).toEqual([
      ["a", "b"],
      ["x\ny", "2"],
      ["3", '4"'],
    ]);
    expect(() => parseCsv('a\n"open\n')).toThrow(/line 2/);
  });
});

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

describe("streamed export", () => {
  it("reads pages without repeating the boundary point and writes chunks", async () => {
    const all = Array.from({ length: 25 }, (_, i) => ({ t: i, d: i * 2 }));
    const requests: string[] = [];
    const session = {
      get: async (_path: string, query: Record<string, unknown>) => {
        requests.push(JSON.stringify(query));
        const from = (query.t1 as number | undefined) ?? Number.NEGATIVE_INFINITY;
        return all.filter((p) => p.t >= from).slice(0, query.limit as number);
      },
    };
    const client = { session, server: {} } as unknown as App;
    const object = { id: "x", name: "x", type: "timeseries", meta: {} } as unknown as HeedyObject;
    const sink = new BlobSink("text/csv");
    const written = await exportRange({ client, object, selection: {}, format: "csv", sink, pageSize: 10 });
    expect(written).toBe(25);
    const text = await sink.blob().text();
    expect(text.split("\r\n").filter(Boolean)).toHaveLength(26);
    expect(requests.length).toBeGreaterThanOrEqual(3);
    const json = new BlobSink("application/json");
    await exportRange({ client, object, selection: {}, format: "json", sink: json, pageSize: 7 });
    expect(JSON.parse(await json.blob().text())).toEqual(all);
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
