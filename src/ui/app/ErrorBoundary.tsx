import { Component, type ReactNode } from "react";
import { endFirstPaint } from "../shared/first-paint";

interface State {
  error: Error | null;
}

/** A rendering crash shows what happened and a way back, instead of a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey?: string }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch() {
    // The failure must show, not a first paint of the page that failed.
    endFirstPaint();
  }

  override componentDidUpdate(previous: { resetKey?: string }) {
    if (this.state.error && previous.resetKey !== this.props.resetKey) this.setState({ error: null });
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="empty-state" role="alert">
        <h1>This view failed</h1>
        <p>
          <code>{this.state.error.message}</code>
        </p>
        <button type="button" className="button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}
