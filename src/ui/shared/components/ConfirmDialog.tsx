import type { ReactNode } from "react";
import { Dialog } from "./Dialog";
import { FormError } from "./FormError";

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  /** What the action does and what is lost. */
  children: ReactNode;
  confirmLabel: string;
  /** The button's label while the request runs ("Deleting…"). */
  pendingLabel: string;
  pending: boolean;
  /** The failed attempt, shown in the dialog so the person can retry or cancel. */
  error: unknown;
  onConfirm(): void;
  onClose(): void;
}

/**
 * A destructive confirm: the explanation, the last error, Cancel and a danger button. Cancel gets
 * the focus, so Enter on a dialog opened by mistake does no harm.
 */
export function ConfirmDialog(props: ConfirmDialogProps) {
  return (
    <Dialog open={props.open} title={props.title} onClose={props.onClose}>
      <div className="dialog-body">
        {props.children}
        <FormError error={props.error} />
      </div>
      <div className="dialog-footer">
        <button type="button" className="button subtle" onClick={props.onClose} data-autofocus>
          Cancel
        </button>
        <button type="button" className="button danger" disabled={props.pending} onClick={props.onConfirm}>
          {props.pending ? props.pendingLabel : props.confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
