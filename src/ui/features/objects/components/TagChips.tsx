import { splitSet } from "../model/tag-set";

interface TagChipsProps {
  tags: string;
  /** When given, each chip is a button that toggles this tag in the tag filter. */
  onToggle?(tag: string): void;
  active?: readonly string[];
}

export function TagChips({ tags, onToggle, active }: TagChipsProps) {
  const list = splitSet(tags);
  if (list.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="chips">
      {list.map((tag) => {
        const on = active?.includes(tag) ?? false;
        return (
          <li key={tag}>
            {onToggle ? (
              <button
                type="button"
                className={`chip${on ? " active" : ""}`}
                aria-pressed={on}
                title={on ? `Remove the tag filter ${tag}` : `Show only objects tagged ${tag}`}
                onClick={(e) => {
                  e.stopPropagation();
                  onToggle(tag);
                }}
              >
                {tag}
              </button>
            ) : (
              <span className="chip">{tag}</span>
            )}
          </li>
        );
      })}
    </ul>
  );
}
