/**
 * The time toolbar of the Data tab and of Explore: range presets and calendar, earlier / later,
 * zoom out ×2, reset, the time zone, and the keyboard shortcuts (listed by `?`).
 */
import { type ReactNode, useState } from "react";
import { Dialog } from "../components/Dialog";
import "../plot/Viewer.css";
import type { ZoneChoice } from "./calendar";
import { RangePicker } from "./RangePicker";
import type { TimeNavigation } from "./use-time-navigation";
import { TIME_SHORTCUTS, useTimeShortcuts } from "./use-time-shortcuts";
import type { ViewRange } from "./view-range";
import { knownZones, localZoneName, useTimeZone } from "./zone";

export function ZoneSelect() {
  const zone = useTimeZone((s) => s.zone);
  const setZone = useTimeZone((s) => s.setZone);
  const zones = knownZones();
  return (
    <label className="ts-zone">
      <span>Time zone</span>
      <select aria-label="Time zone" value={zone} onChange={(e) => setZone(e.target.value as ZoneChoice)}>
        <option value="local">Local ({localZoneName()})</option>
        <option value="UTC">UTC</option>
        {zones
          .filter((z) => z !== "UTC")
          .map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        {!zones.includes(zone) && zone !== "local" && zone !== "UTC" && <option value={zone}>{zone}</option>}
      </select>
    </label>
  );
}

export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  return (
    <Dialog open={open} title="Keyboard shortcuts" onClose={onClose}>
      <div className="dialog-body">
        <table className="shortcuts">
          <tbody>
            {TIME_SHORTCUTS.map((s) => (
              <tr key={s.keys}>
                <th scope="row">
                  <kbd>{s.keys}</kbd>
                </th>
                <td>{s.what}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Dialog>
  );
}

export interface TimeControlsProps {
  range: ViewRange;
  nav: TimeNavigation;
  /** False until something is drawn (nothing to pan or zoom out from). */
  canMove: boolean;
  children?: ReactNode;
}

export function TimeControls({ range, nav, canMove, children }: TimeControlsProps) {
  const zone = useTimeZone((s) => s.zone);
  const [help, setHelp] = useState(false);
  useTimeShortcuts({ zoomOut: nav.zoomOut, shift: nav.shift, help: () => setHelp(true) });
  return (
    <div className="ts-toolbar">
      <RangePicker range={range} zone={zone} onChange={nav.changeRange} />
      <div className="ts-toolbar-right">
        <button
          type="button"
          className="ts-button"
          onClick={() => nav.shift(-1)}
          disabled={!canMove}
          title="Move the window back by half its width (t ←)"
        >
          ← Earlier
        </button>
        <button
          type="button"
          className="ts-button"
          onClick={() => nav.shift(1)}
          disabled={!canMove}
          title="Move the window forward by half its width (t →)"
        >
          Later →
        </button>
        <button
          type="button"
          className="ts-button"
          onClick={nav.zoomOut}
          disabled={!canMove}
          title="Widen the window twice around its centre (Ctrl+Z)"
        >
          Zoom out ×2
        </button>
        <button
          type="button"
          className="ts-button"
          onClick={nav.reset}
          disabled={!nav.zoomed}
          title="Back to the range before zooming (or double-click the chart)"
        >
          Reset zoom
        </button>
        <ZoneSelect />
        {children}
        <button
          type="button"
          className="ts-button"
          onClick={() => setHelp(true)}
          aria-label="Keyboard shortcuts"
          title="Keyboard shortcuts (?)"
        >
          ?
        </button>
      </div>
      <ShortcutsDialog open={help} onClose={() => setHelp(false)} />
    </div>
  );
}
