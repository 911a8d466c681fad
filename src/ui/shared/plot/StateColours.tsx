/** The colour legend of a state row: each value with its bar colour. */
import type { EventRow } from "./series";
import { stateLegend } from "./state-timeline";

export function StateColours({ row }: { row: EventRow }) {
  const legend = stateLegend(row, 8);
  const more = new Set(row.text).size - legend.length;
  return (
    <ul className="state-colours" aria-label={`Colours of ${row.label}`}>
      {legend.map((l) => (
        <li key={l.text} className="state-colour">
          <span className="ts-swatch" style={{ background: `var(--chart-event-${l.colour})` }} />
          {l.text.length > 24 ? `${l.text.slice(0, 23)}…` : l.text}
        </li>
      ))}
      {more > 0 && <li className="state-colour">+{more} more</li>}
    </ul>
  );
}
