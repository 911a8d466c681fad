import { cancelLeave, confirmLeave, usePendingLeave } from "../navigation";
import { Dialog } from "./Dialog";

/** Asks before a navigation that would lose unsaved work (see useLeaveGuard in shared/navigation). */
export function LeaveDialog() {
  const to = usePendingLeave((s) => s.to);
  const reason = usePendingLeave((s) => s.reason);
  return (
    <Dialog open={to !== null} title="Leave without saving?" onClose={cancelLeave}>
      <div className="dialog-body">
        <p>{reason}</p>
      </div>
      <footer className="dialog-footer">
        <button type="button" className="button subtle" data-autofocus onClick={cancelLeave}>
          Stay
        </button>
        <button type="button" className="button danger" onClick={confirmLeave}>
          Leave and discard
        </button>
      </footer>
    </Dialog>
  );
}
