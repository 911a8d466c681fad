/**
 * The browser app's one events socket per session (contract 10): opened at sign-in, closed at
 * sign-out. Every event it hears refreshes exactly the cached reads it touches (event-keys.ts).
 * Views subscribe to what they show (`useLiveSubscription`); when the socket is unavailable the
 * status says so and views fall back to polling.
 */
import type { QueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { create } from "zustand";
import type { EventFilter, EventStream, EventStreamStatus, HeedyEvent } from "../../../client/index";
import type { ExplorerClient } from "../session/session-store";
import { applyEvent } from "./event-keys";

interface LiveState {
  status: EventStreamStatus;
  /** Why the socket is unavailable, in the server's or browser's words. */
  detail: string | undefined;
}

export const useLiveStatus = create<LiveState>(() => ({ status: "closed", detail: undefined }));

let current: { stream: EventStream; onEvent: (e: HeedyEvent) => void } | undefined;
const listeners = new Set<() => void>();

/** Opens the session's socket; returns the function that closes it. */
export function startLiveEvents(client: ExplorerClient, queryClient: QueryClient): () => void {
  stopLiveEvents();
  useLiveStatus.setState({ status: "connecting", detail: undefined });
  let wasOpen = false;
  const stream = client.events({
    onStatus: (status, detail) => {
      useLiveStatus.setState({ status, detail });
      // Events sent while the socket was down are gone (the server keeps none), so a reconnect
      // rereads what is on screen; the first open needs nothing, the views have just loaded.
      if (status === "open" && wasOpen) void queryClient.invalidateQueries();
      if (status === "open") wasOpen = true;
    },
  });
  current = { stream, onEvent: (e) => applyEvent(queryClient, e) };
  for (const l of listeners) l();
  return stopLiveEvents;
}

export function stopLiveEvents(): void {
  current?.stream.close();
  current = undefined;
  useLiveStatus.setState({ status: "closed", detail: undefined });
  for (const l of listeners) l();
}

/**
 * Follows the events `filter` selects while the calling component is mounted (undefined: none).
 * Equal filters from several views share one subscription on the socket.
 */
export function useLiveSubscription(filter: EventFilter | undefined): void {
  const key = filter ? JSON.stringify(filter) : "";
  useEffect(() => {
    if (!key) return;
    const f = JSON.parse(key) as EventFilter;
    let stop: (() => void) | undefined;
    const attach = () => {
      stop?.();
      stop = current ? current.stream.subscribe(f, current.onEvent) : undefined;
    };
    attach();
    listeners.add(attach);
    return () => {
      listeners.delete(attach);
      stop?.();
    };
  }, [key]);
}

/** True while pushed events keep the views current, so polling is not needed. */
export function useLivePushed(): boolean {
  return useLiveStatus((s) => s.status === "open");
}
