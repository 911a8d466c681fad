/// <reference lib="webworker" />
/**
 * Downsampling off the main thread, for servers without the plot read (a real heedy): the page
 * fetcher posts each page's JSON text here; parsing and reducing millions of points happen in this
 * worker, so the page never freezes.
 */
import { createReducerHost, type ReducerRequest } from "../features/timeseries/model/plot-reducer";

const scope = self as unknown as DedicatedWorkerGlobalScope;
const handle = createReducerHost((message) => scope.postMessage(message));
scope.onmessage = (event: MessageEvent<ReducerRequest>) => handle(event.data);
