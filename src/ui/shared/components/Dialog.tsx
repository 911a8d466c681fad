import { type ReactNode, useEffect, useId, useRef } from "react";

interface DialogProps {
  open: boolean;
  title: string;
  onClose(): void;
  children: ReactNode;
  className?: string;
}

const FIELDS = "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])";

/**
 * Where focus starts: an element marked `data-autofocus` (Cancel in a destructive confirm), else the
 * first field, else the first button below the header. Never the × button, which the browser would
 * pick, and not React's `autoFocus`, which runs before `showModal()` and is undone by it.
 */
function initialFocus(dialog: HTMLDialogElement): HTMLElement | null {
  return (
    dialog.querySelector<HTMLElement>("[data-autofocus]") ??
    dialog.querySelector<HTMLElement>(FIELDS) ??
    dialog.querySelector<HTMLElement>("button:not([data-dialog-close]):not([disabled])")
  );
}

/** Back to the control that opened the dialog; if it is gone (a deleted row), to the page's main area. */
function restoreFocus(opener: HTMLElement | null): void {
  if (opener?.isConnected && opener !== document.body) {
    opener.focus();
    if (document.activeElement === opener) return;
  }
  document.getElementById("main-content")?.focus();
}

/**
 * A modal on the native <dialog>: the browser traps focus, makes the page behind inert and closes
 * it on Escape. Focus starts on the first field and returns to the opener when it closes.
 */
export function Dialog({ open, title, onClose, children, className }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      if (typeof dialog.showModal === "function") dialog.showModal();
      else dialog.setAttribute("open", "");
      initialFocus(dialog)?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
      restoreFocus(opener.current);
    }
  }, [open]);
  // Dialogs that unmount to close (most of them) restore focus here.
  useEffect(() => {
    const dialog = ref.current;
    return () => {
      if (dialog?.open) restoreFocus(opener.current);
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className={`dialog ${className ?? ""}`}
      aria-labelledby={titleId}
      onClose={() => {
        if (open) onClose();
      }}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      {open && (
        <>
          <header className="dialog-header">
            <h2 id={titleId}>{title}</h2>
            <button
              type="button"
              className="button subtle icon"
              aria-label="Close dialog"
              data-dialog-close
              onClick={onClose}
            >
              ×
            </button>
          </header>
          {children}
        </>
      )}
    </dialog>
  );
}
