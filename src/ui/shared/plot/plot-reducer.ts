/**
 * Reduces a series arriving page by page (JSON text of plain heedy reads) to what a chart of
 * `columns` pixel columns needs. Used by the downsampling worker, and inline where no Worker exists.
 */
import { type AggregateResult, WindowAccumulator } from "../../../core/aggregate";
import type { Datapoint } from "../../../core/resources";
import { reducePoints } from "./series";

export interface ReducedPlot {
  /** Points read. */
  count: number;
  /** Points kept for drawing, in time order. */
  points: Datapoint[];
  /** Windowed statistics of every point read (one window over the range unless asked). */
  aggregate?: AggregateResult;
  /** Points per pixel column over `span`. */
  counts?: number[];
  span?: [number, number];
}

export interface ReducerOptions {
  /** Reads `d[field]` of object values (an Explore series of one field). */
  field?: string;
  /** Window length and origin of the statistics; one window over the range when left out. */
  window?: number;
  origin?: number;
}

export class PlotReducer {
  private kept: Datapoint[] = [];
  private count = 0;
  private lastT = Number.NEGATIVE_INFINITY;
  private readonly windows: WindowAccumulator;
  private readonly counts: number[];

  constructor(
    private readonly columns: number,
    private readonly t1: number,
    private readonly t2: number,
    private readonly options: ReducerOptions = {},
  ) {
    const span = Math.max(1, t2 - t1) * 2;
    this.windows = new WindowAccumulator(options.origin ?? t1, options.window ?? span);
    this.counts = new Array<number>(Math.max(1, Math.floor(columns))).fill(0);
  }

  /**
   * Adds one page (a JSON array text); pages overlap by at most their first point, which is skipped.
   * Returns the number of new points and the last timestamp seen.
   */
  addPage(text: string): { added: number; lastT: number } {
    const parsed = JSON.parse(text) as unknown;
    if (!Array.isArray(parsed)) throw new TypeError("The timeseries read did not answer an array");
    let start = 0;
    while (start < parsed.length && (parsed[start] as Datapoint).t <= this.lastT) start++;
    let fresh = (start === 0 ? parsed : parsed.slice(start)) as Datapoint[];
    if (fresh.length === 0) return { added: 0, lastT: this.lastT };
    const field = this.options.field;
    if (field !== undefined) fresh = fresh.map((p) => ({ ...p, d: fieldOf(p.d, field) }));
    const scale = this.t2 > this.t1 ? this.counts.length / (this.t2 - this.t1) : 0;
    const last = this.counts.length - 1;
    for (const p of fresh) {
      this.windows.add(p.t, p.dt ?? 0, p.d);
      const c = Math.floor((p.t - this.t1) * scale);
      this.counts[Math.min(last, Math.max(0, c))]!++;
    }
    this.count += fresh.length;
    this.lastT = fresh[fresh.length - 1]!.t;
    const joined = this.kept.length === 0 ? fresh : this.kept.concat(fresh);
    this.kept = reducePoints(joined, this.columns, this.t1, this.t2);
    return { added: fresh.length, lastT: this.lastT };
  }

  result(): ReducedPlot {
    return {
      count: this.count,
      points: this.kept,
      aggregate: this.windows.result(),
      counts: this.counts,
      span: [this.t1, this.t2],
    };
  }
}

function fieldOf(d: unknown, field: string): unknown {
  return typeof d === "object" && d !== null && !Array.isArray(d)
    ? (d as Record<string, unknown>)[field]
    : undefined;
}

/** What the page fetcher asks the reducer (in the worker, inside shared/worker-rpc's envelope). */
export type ReducerRequest =
  | { job: number; kind: "begin"; columns: number; t1: number; t2: number; options?: ReducerOptions }
  | { job: number; kind: "page"; text: string }
  | { job: number; kind: "end" }
  | { job: number; kind: "cancel" };

export type ReducerReply =
  | { kind: "begun" }
  | { kind: "page"; added: number; lastT: number }
  | { kind: "done"; result: ReducedPlot }
  | { kind: "cancelled" };

/**
 * The worker's request handling, kept apart from `self` so it runs inline too. It throws on a bad
 * page (the caller sees the message); the failed job is dropped.
 */
export function createReducerHost(): (request: ReducerRequest) => ReducerReply {
  const jobs = new Map<number, PlotReducer>();
  const reducerOf = (job: number): PlotReducer => {
    const reducer = jobs.get(job);
    if (!reducer) throw new Error(`no downsampling job ${job}`);
    return reducer;
  };
  return (message) => {
    try {
      switch (message.kind) {
        case "begin":
          jobs.set(message.job, new PlotReducer(message.columns, message.t1, message.t2, message.options));
          return { kind: "begun" };
        case "page":
          return { kind: "page", ...reducerOf(message.job).addPage(message.text) };
        case "end": {
          const result = reducerOf(message.job).result();
          jobs.delete(message.job);
          return { kind: "done", result };
        }
        case "cancel":
          jobs.delete(message.job);
          return { kind: "cancelled" };
      }
    } catch (err) {
      jobs.delete(message.job);
      throw err;
    }
  };
}
