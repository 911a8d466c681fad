/** Splits a heedy set string (tags, scopes); the server returns elements in any order (contract 3). */
export function splitSet(value: string | undefined): string[] {
  return [...scopeSetLike(value ?? "")].sort((a, b) => a.localeCompare(b));
}

function scopeSetLike(value: string): Set<string> {
  const s = new Set<string>();
  for (const p of value.split(/\s+/)) if (p) s.add(p);
  return s;
}

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
