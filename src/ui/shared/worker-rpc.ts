/**
 * Request/response over a Web Worker: each call gets an id and a promise, and the reply with that
 * id settles it. The page side (WorkerRpc) and the worker side (serveRpc) both live here, so the
 * plot worker and the schema worker speak the same envelope.
 *
 * A worker that fails to load (a 404 after a deploy, a CSP refusal) or crashes only fires `error`
 * on the Worker object; without handling it every pending promise would wait forever (the chart's
 * spinner did). So on `error` or `messageerror` every pending call is rejected, the worker is
 * terminated, and that WorkerRpc refuses new calls. `lazyWorkerRpc` then starts a fresh worker on
 * the next use, so a retry (the chart's Retry button, the next schema check) can succeed.
 */

/** What the page posts. */
export interface RpcRequest<Q> {
  id: number;
  body: Q;
}

/** What the worker answers: the handler's value, or the message of what it threw. */
export type RpcReply<R> = { id: number; ok: true; value: R } | { id: number; ok: false; message: string };

/** The part of `Worker` used here (tests pass a fake). */
export interface WorkerLike extends EventTarget {
  postMessage(message: unknown, transfer: Transferable[]): void;
  terminate(): void;
}

/** The worker's handler threw; the worker itself is fine. */
export class RpcRemoteError extends Error {
  override name = "RpcRemoteError";
}

/** The worker is gone (failed to load, crashed, or terminated): this call and later ones fail. */
export class WorkerClosedError extends Error {
  override name = "WorkerClosedError";
}

interface Pending<R> {
  resolve(value: R): void;
  reject(error: unknown): void;
  /** Drops the abort listener. */
  done(): void;
}

export interface CallOptions {
  /** Objects whose ownership moves to the worker (ArrayBuffers...). */
  transfer?: Transferable[];
  /** Rejects this call at once with the signal's reason; a late reply is ignored. */
  signal?: AbortSignal;
}

export class WorkerRpc<Q, R> {
  private readonly pending = new Map<number, Pending<R>>();
  private nextId = 1;
  private closedWith: Error | null = null;

  /** `name` starts error messages: "The schema checker stopped: …". */
  constructor(
    private readonly worker: WorkerLike,
    private readonly name: string,
  ) {
    worker.addEventListener("message", this.onMessage);
    worker.addEventListener("error", this.onError);
    worker.addEventListener("messageerror", this.onMessageError);
  }

  /** True once the worker failed or was terminated; every call then rejects. */
  get closed(): boolean {
    return this.closedWith !== null;
  }

  call(body: Q, options: CallOptions = {}): Promise<R> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      const onAbort = () => {
        this.take(id);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.pending.set(id, { resolve, reject, done: () => signal?.removeEventListener("abort", onAbort) });
      try {
        this.worker.postMessage({ id, body } satisfies RpcRequest<Q>, options.transfer ?? []);
      } catch (err) {
        // A value that cannot be cloned fails this call only.
        this.take(id);
        reject(err);
      }
    });
  }

  /** Stops the worker: pending calls reject with `reason`, later calls too. */
  terminate(reason = `${this.name} was stopped`): void {
    this.close(new WorkerClosedError(reason));
  }

  private take(id: number): Pending<R> | undefined {
    const p = this.pending.get(id);
    if (!p) return undefined;
    this.pending.delete(id);
    p.done();
    return p;
  }

  private close(error: Error): void {
    if (this.closedWith) return;
    this.closedWith = error;
    for (const id of [...this.pending.keys()]) this.take(id)?.reject(error);
    this.worker.removeEventListener("message", this.onMessage);
    this.worker.removeEventListener("error", this.onError);
    this.worker.removeEventListener("messageerror", this.onMessageError);
    this.worker.terminate();
  }

  private readonly onMessage = (event: Event): void => {
    const reply = (event as MessageEvent<RpcReply<R>>).data;
    const p = this.take(reply.id);
    if (!p) return;
    if (reply.ok) p.resolve(reply.value);
    else p.reject(new RpcRemoteError(reply.message));
  };

  private readonly onError = (event: Event): void => {
    // Handled here: the browser need not also log it as uncaught.
    event.preventDefault();
    const message = (event as Partial<ErrorEvent>).message;
    this.close(new WorkerClosedError(`${this.name} stopped: ${message || "it could not be loaded"}`));
  };

  private readonly onMessageError = (): void => {
    this.close(new WorkerClosedError(`${this.name} sent a reply that could not be read`));
  };
}

/**
 * One WorkerRpc for a feature, created on first use and again after its worker failed. Callers that
 * make several calls for one task (the plot's pages) hold on to the instance they got, so a crash
 * fails the task rather than moving half of it to a fresh worker.
 */
export function lazyWorkerRpc<Q, R>(create: () => WorkerLike, name: string): () => WorkerRpc<Q, R> {
  let rpc: WorkerRpc<Q, R> | undefined;
  return () => {
    if (!rpc || rpc.closed) rpc = new WorkerRpc<Q, R>(create(), name);
    return rpc;
  };
}

/** The worker's global scope, as far as serveRpc needs it. */
export interface WorkerScopeLike {
  addEventListener(type: "message", listener: (event: MessageEvent) => void): void;
  postMessage(message: unknown): void;
}

/** Worker side: answers each request with the handler's value, or with the message it threw. */
export function serveRpc<Q, R>(scope: WorkerScopeLike, handle: (body: Q) => R | Promise<R>): void {
  scope.addEventListener("message", (event) => {
    const { id, body } = event.data as RpcRequest<Q>;
    const reply = (r: RpcReply<R>) => scope.postMessage(r);
    // One path for sync and async handlers, throws included, so replies keep the requests' order.
    Promise.resolve(body)
      .then(handle)
      .then(
        (value) => reply({ id, ok: true, value }),
        (err: unknown) => reply({ id, ok: false, message: messageOf(err) }),
      );
  });
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
