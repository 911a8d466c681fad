import { describe, expect, it } from "vitest";
import {
  lazyWorkerRpc,
  RpcRemoteError,
  type RpcReply,
  type RpcRequest,
  serveRpc,
  WorkerClosedError,
  type WorkerLike,
  WorkerRpc,
} from "./worker-rpc";

function messageEvent(data: unknown): Event {
  return Object.assign(new Event("message"), { data });
}

/** A Worker stand-in: records what the page posts; the test answers, fails or crashes it. */
class FakeWorker extends EventTarget implements WorkerLike {
  posted: { message: RpcRequest<unknown>; transfer: Transferable[] }[] = [];
  terminated = false;

  postMessage(message: unknown, transfer: Transferable[]): void {
    if (this.terminated) throw new Error("posted to a terminated worker");
    this.posted.push({ message: message as RpcRequest<unknown>, transfer });
  }

  terminate(): void {
    this.terminated = true;
  }

  reply(reply: RpcReply<unknown>): void {
    this.dispatchEvent(messageEvent(reply));
  }

  /** Answers request `n` (0-based, in posting order) with its body doubled. */
  answer(n: number): void {
    const { id, body } = this.posted[n]!.message;
    this.reply({ id, ok: true, value: (body as number) * 2 });
  }

  fail(message?: string): Event {
    const event = Object.assign(new Event("error", { cancelable: true }), message ? { message } : {});
    this.dispatchEvent(event);
    return event;
  }
}

/** Settles a promise into a value that can be compared, without unhandled rejections. */
function outcome<T>(p: Promise<T>): Promise<{ value: T } | { error: unknown }> {
  return p.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

describe("worker rpc", () => {
  it("resolves each call with its own reply, whatever the order", async () => {
    const worker = new FakeWorker();
    const rpc = new WorkerRpc<number, number>(worker, "The test worker");
    const a = rpc.call(1);
    const b = rpc.call(2);
    expect(worker.posted.map((p) => p.message.body)).toEqual([1, 2]);
    expect(new Set(worker.posted.map((p) => p.message.id)).size).toBe(2);
    worker.answer(1);
    worker.answer(0);
    expect(await a).toBe(2);
    expect(await b).toBe(4);
  });

  it("passes transferables along", async () => {
    const worker = new FakeWorker();
    const rpc = new WorkerRpc<ArrayBuffer, number>(worker, "The test worker");
    const buffer = new ArrayBuffer(8);
    const call = rpc.call(buffer, { transfer: [buffer] });
    expect(worker.posted[0]!.transfer).toEqual([buffer]);
    worker.reply({ id: worker.posted[0]!.message.id, ok: true, value: 8 });
    expect(await call).toBe(8);
  });

  it("rejects a call the worker's handler refused, and keeps working", async () => {
    const worker = new FakeWorker();
    const rpc = new WorkerRpc<number, number>(worker, "The test worker");
    const bad = outcome(rpc.call(1));
    worker.reply({ id: worker.posted[0]!.message.id, ok: false, message: "not a page" });
    const result = await bad;
    expect(result).toEqual({ error: expect.any(RpcRemoteError) });
    expect((result as { error: Error }).error.message).toBe("not a page");
    expect(rpc.closed).toBe(false);
    const good = rpc.call(5);
    worker.answer(1);
    expect(await good).toBe(10);
  });

  it("rejects every pending call when the worker fails to load, and refuses new ones", async () => {
    const worker = new FakeWorker();
    const rpc = new WorkerRpc<number, number>(worker, "The test worker");
    const calls = [outcome(rpc.call(1)), outcome(rpc.call(2)), outcome(rpc.call(3))];
    const event = worker.fail();
    for (const result of await Promise.all(calls)) {
      expect(result).toEqual({ error: expect.any(WorkerClosedError) });
      expect((result as { error: Error }).error.message).toBe(
        "The test worker stopped: it could not be loaded",
      );
    }
    expect(event.defaultPrevented).toBe(true);
    expect(worker.terminated).toBe(true);
    expect(rpc.closed).toBe(true);
    await expect(rpc.call(4)).rejects.toBeInstanceOf(WorkerClosedError);
    expect(worker.posted).toHaveLength(3);
  });

  it("keeps answered calls and rejects the rest when the worker crashes later", async () => {
    const worker = new FakeWorker();
    const rpc = new WorkerRpc<number, number>(worker, "The test worker");
    const first = rpc.call(1);
    const second = outcome(rpc.call(2));
    worker.answer(0);
    expect(await first).toBe(2);
    worker.fail("out of memory");
    const result = await second;
    expect((result as { error: Error }).error.message).toBe("The test worker stopped: out of memory");
    // A reply that arrives after the crash changes nothing.
    worker.answer(1);
    expect(await second).toBe(result);
  });

  it("rejects everything on a reply that cannot be read", async () => {
    const worker = new FakeWorker();
    const rpc = new WorkerRpc<number, number>(worker, "The test worker");
    const pending = outcome(rpc.call(1));
    worker.dispatchEvent(new Event("messageerror"));
    expect(await pending).toEqual({ error: expect.any(WorkerClosedError) });
    expect(rpc.closed).toBe(true);
    expect(worker.terminated).toBe(true);
  });

  it("rejects an aborted call at once and ignores its late reply", async () => {
    const worker = new FakeWorker();
    const rpc = new WorkerRpc<number, number>(worker, "The test worker");
    const controller = new AbortController();
    const aborted = outcome(rpc.call(1, { signal: controller.signal }));
    const other = rpc.call(2);
    controller.abort(new Error("left the page"));
    expect(await aborted).toEqual({ error: new Error("left the page") });
    worker.answer(0);
    worker.answer(1);
    expect(await other).toBe(4);
    // An already aborted signal never reaches the worker.
    await expect(rpc.call(3, { signal: controller.signal })).rejects.toThrow("left the page");
    expect(worker.posted).toHaveLength(2);
  });

  it("terminate rejects pending calls, stops the worker and refuses new calls", async () => {
    const worker = new FakeWorker();
    const rpc = new WorkerRpc<number, number>(worker, "The test worker");
    const pending = outcome(rpc.call(1));
    rpc.terminate();
    expect(await pending).toEqual({ error: new WorkerClosedError("The test worker was stopped") });
    expect(worker.terminated).toBe(true);
    await expect(rpc.call(2)).rejects.toBeInstanceOf(WorkerClosedError);
  });

  it("lazyWorkerRpc starts a fresh worker after a failure, and only then", async () => {
    const workers: FakeWorker[] = [];
    const get = lazyWorkerRpc<number, number>(() => {
      const w = new FakeWorker();
      workers.push(w);
      return w;
    }, "The test worker");
    expect(workers).toHaveLength(0);
    const first = get();
    expect(get()).toBe(first);
    const lost = outcome(first.call(1));
    workers[0]!.fail();
    expect(await lost).toEqual({ error: expect.any(WorkerClosedError) });
    const second = get();
    expect(second).not.toBe(first);
    expect(workers).toHaveLength(2);
    const call = second.call(21);
    workers[1]!.answer(0);
    expect(await call).toBe(42);
  });
});

describe("serveRpc (worker side)", () => {
  /** A worker global scope stand-in: the page posts into it, replies collect in `sent`. */
  function fakeScope() {
    const target = new EventTarget();
    const sent: RpcReply<unknown>[] = [];
    const scope = {
      addEventListener: (type: "message", listener: (event: MessageEvent) => void) =>
        target.addEventListener(type, listener as EventListener),
      postMessage: (message: unknown) => sent.push(message as RpcReply<unknown>),
    };
    const request = (id: number, body: unknown) => target.dispatchEvent(messageEvent({ id, body }));
    return { scope, sent, request };
  }

  it("answers with the handler's value or the message it threw", async () => {
    const { scope, sent, request } = fakeScope();
    serveRpc<number, number>(scope, (n) => {
      if (n < 0) throw new Error("negative");
      return n + 1;
    });
    request(7, 1);
    request(8, -1);
    await new Promise((r) => setTimeout(r, 0));
    expect(sent).toEqual([
      { id: 7, ok: true, value: 2 },
      { id: 8, ok: false, message: "negative" },
    ]);
  });

  it("round-trips with WorkerRpc, async handlers included", async () => {
    const { scope, sent, request } = fakeScope();
    serveRpc<string, string>(scope, async (s) => s.toUpperCase());
    const worker = new FakeWorker();
    const rpc = new WorkerRpc<string, string>(worker, "The test worker");
    const call = rpc.call("hi");
    const { id, body } = worker.posted[0]!.message;
    request(id, body);
    await new Promise((r) => setTimeout(r, 0));
    worker.reply(sent[0]!);
    expect(await call).toBe("HI");
  });
});
