/**
 * Cooperative slicing of long synchronous work (a big insert's parse, validation and encoding):
 * the work calls `maybeYield()` often, and once it has run for `sliceMs` the loop is handed to
 * queued I/O and timers before it goes on. One event loop serves every client, so no request may
 * keep it for long.
 */
import { setImmediate as yieldLoop } from "node:timers/promises";

/** The default slice: well under the ~20 ms a waiting request may notice. */
export const SLICE_MS = 8;

export class LoopSlicer {
  private since = performance.now();

  constructor(private readonly sliceMs = SLICE_MS) {}

  async maybeYield(): Promise<void> {
    if (performance.now() - this.since < this.sliceMs) return;
    await yieldLoop();
    this.since = performance.now();
  }
}
