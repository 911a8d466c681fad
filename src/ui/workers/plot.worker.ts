/// <reference lib="webworker" />
/**
 * Downsampling off the main thread, for servers without the plot read (a real heedy): the page
 * fetcher posts each page's JSON text here; parsing and reducing millions of points happen in this
 * worker, so the page never freezes.
 */
import { createReducerHost, type ReducerReply, type ReducerRequest } from "../shared/plot/plot-reducer";
import { serveRpc } from "../shared/worker-rpc";

serveRpc<ReducerRequest, ReducerReply>(self as unknown as DedicatedWorkerGlobalScope, createReducerHost());
