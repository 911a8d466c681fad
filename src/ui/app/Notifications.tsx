import { useNotifications } from "../shared/notifications/notification-store";

/** Renders the central notification store: errors stay until dismissed, the rest fade after 4 s. */
export function Notifications() {
  const items = useNotifications((s) => s.items);
  const dismiss = useNotifications((s) => s.dismiss);
  return (
    <section className="toasts" aria-label="Notifications" aria-live="polite">
      {items.map((n) => (
        <div key={n.id} className={`toast ${n.tone}`} role={n.tone === "error" ? "alert" : "status"}>
          <div className="toast-text">
            <strong>
              {n.title}
              {n.repeats > 1 && <span className="toast-repeats"> ({n.repeats}×)</span>}
            </strong>
            {n.detail && <span>{n.detail}</span>}
            {n.code && <span className="error-code">Details: {n.code}</span>}
          </div>
          <button
            type="button"
            className="button subtle icon"
            aria-label="Dismiss notification"
            onClick={() => dismiss(n.id)}
          >
            ×
          </button>
        </div>
      ))}
    </section>
  );
}
