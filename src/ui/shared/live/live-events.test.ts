import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it, vi } from "vitest";
import type { EventStreamOptions } from "../../../client/index";
import type { ExplorerClient } from "../session/session-store";
import { startLiveEvents, useLiveStatus } from "./live-events";

/** A client whose socket status this test drives by hand (the socket itself is tested in client/). */
function clientWithStatus(): { client: ExplorerClient; status: NonNullable<EventStreamOptions["onStatus"]> } {
  let status: EventStreamOptions["onStatus"];
  const client = {
    events: (opts: EventStreamOptions) => {
      status = opts.onStatus;
      return { close() {}, subscribe: () => () => {} };
    },
  } as unknown as ExplorerClient;
  return { client, status: (s, d) => status?.(s, d) };
}

describe("startLiveEvents", () => {
  it("rereads what is on screen after a reconnect, not on the first open", () => {
    const queryClient = new QueryClient();
    const invalidate = vi.spyOn(queryClient, "invalidateQueries");
    const { client, status } = clientWithStatus();
    const stop = startLiveEvents(client, queryClient);
    status("open");
    expect(invalidate).not.toHaveBeenCalled();
    expect(useLiveStatus.getState().status).toBe("open");
    status("connecting");
    status("open");
    expect(invalidate).toHaveBeenCalledTimes(1);
    stop();
    expect(useLiveStatus.getState().status).toBe("closed");
  });
});
