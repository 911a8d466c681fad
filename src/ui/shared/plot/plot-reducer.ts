/**
 * Reduces a series arriving page by page (JSON text of plain heedy reads) to what a chart of
 * `columns` pixel columns needs. Used by the downsampling worker, and inline where no Worker exists.
 */
import type { Datapoint } from "../../../core/resources";
import { reducePoints } from "./series";

export interface ReducedPlot {
  /** Points read. */
  count: number;
  /** Points kept for drawing, in time order. */
  points: Datapoint[];
}

export class PlotReducer {
  private kept: Datapoint[] = [];
  private count = 0;
  private lastT = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly columns: number,
    private readonly t1: number,
    private readonly t2: number,
  ) {}

  /**
   * Adds one page (a JSON array text); pages overlap by at most their first point, which is skipped.
   * Returns the number of new points and the last timestamp seen.
   */
  addPage(text: string): { added: number; lastT: number } {
    const parsed = JSON.parse(text) as unknown;
    if (!Array.isArray(parsed)) throw new TypeError("The timeseries read did not answer an array");
    let start = 0;
    while (start < parsed.length && (parsed[start] as Datapoint).t <= this.lastT) start++;
    const fresh = (start === 0 ? parsed : parsed.slice(start)) as Datapoint[];
    if (fresh.length === 0) return { added: 0, lastT: this.lastT };
    this.count += fresh.length;
    this.lastT = fresh[fresh.length - 1]!.t;
    const joined = this.kept.length === 0 ? fresh : this.kept.concat(fresh);
    this.kept = reducePoints(joined, this.columns, this.t1, this.t2);
    return { added: fresh.length, lastT: this.lastT };
  }

  result(): ReducedPlot {
    return { count: this.count, points: this.kept };
  }
}

/** What the page fetcher asks the reducer (in the worker, inside shared/worker-rpc's envelope). */
export type ReducerRequest =
  | { job: number; kind: "begin"; columns: number; t1: number; t2: number }
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
          jobs.set(message.job, new PlotReducer(message.columns, message.t1, message.t2));
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
