import { describe, expect, it } from "vitest";
import { axisValues, plainNumber } from "./axis-number";

const intl = new Intl.NumberFormat("en-US");

describe("plainNumber", () => {
  it("writes what Intl.NumberFormat('en-US') writes", () => {
    const values = [
      0,
      -0,
      1,
      -1,
      0.5,
      0.1 + 0.2,
      20.5,
      1000,
      1234.5678,
      -1234.5678,
      999999.9995,
      0.0005,
      0.0015,
      0.0625,
      -0.0001,
      1e6,
      123456789.123,
      1e20,
      -9.87654321e15,
      2.5e-7,
      1 / 3,
      2 / 3,
      100.005,
      1.0005,
    ];
    // Axis splits: steps of 1, 2 and 5 times a power of ten, as uPlot picks them.
    for (let e = -4; e <= 9; e++)
      for (const m of [1, 2, 2.5, 5]) for (let k = -12; k <= 12; k++) values.push(k * m * 10 ** e);
    // And a spread of arbitrary values.
    let x = 12345;
    for (let i = 0; i < 2000; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      values.push(((x / 2 ** 31) * 2 - 1) * 10 ** ((i % 14) - 4));
    }
    for (const v of values) expect(plainNumber(v), String(v)).toBe(intl.format(v));
  });

  it("leaves what it does not write to Intl", () => {
    expect(plainNumber(1e21)).toBeUndefined();
    expect(plainNumber(Number.NaN)).toBeUndefined();
    expect(plainNumber(Number.POSITIVE_INFINITY)).toBeUndefined();
  });
});

describe("axisValues", () => {
  const u = undefined as never;
  it("formats the splits like uPlot does, in the locale's own way", () => {
    expect(axisValues("en-US")(u, [1000, 20.5, -3])).toEqual(["1,000", "20.5", "-3"]);
    expect(axisValues("de-DE")(u, [1000, 20.5])).toEqual(
      [1000, 20.5].map((v) => new Intl.NumberFormat("de-DE").format(v)),
    );
    expect(axisValues("en-US")(u, [1e21])).toEqual([intl.format(1e21)]);
  });
});
