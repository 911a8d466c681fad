/**
 * Whether the server answers. A dropped connection is one fact, not one toast per failed request
 * (with Live on, every poll failed and added a toast: four after 45 s, covering the controls). The
 * app shows a single banner while `unreachable` and probes until the server answers again; any
 * request that succeeds clears it too.
 */
import { create } from "zustand";

interface ConnectionState {
  unreachable: boolean;
  markUnreachable(): void;
  markReachable(): void;
}

export const useConnection = create<ConnectionState>()((set, get) => ({
  unreachable: false,
  markUnreachable() {
    if (!get().unreachable) set({ unreachable: true });
  },
  markReachable() {
    if (get().unreachable) set({ unreachable: false });
  },
}));
