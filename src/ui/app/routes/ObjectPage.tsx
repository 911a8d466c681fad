import { type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import type { HeedyObject } from "../../../client/index";
import { accessAllows, canUpdateFields, scopeSet } from "../../../core/scopes";
import { AccessChips } from "../../features/access/components/AccessChips";
import { ScopeEditor } from "../../features/access/components/ScopeEditor";
import { useDeleteObject, useObject, useUpdateObject } from "../../features/objects/api/objects";
import { InlineText } from "../../features/objects/components/InlineText";
import { TagChips } from "../../features/objects/components/TagChips";
import { listPathForTag } from "../../features/objects/model/browser-state";
import { SchemaTab } from "../../features/schema/components/SchemaTab";
import { useLength } from "../../features/timeseries/api/series";
import { DataTab } from "../../features/timeseries/components/DataTab";
import { Dialog } from "../../shared/components/Dialog";
import { ErrorMessage } from "../../shared/components/ErrorMessage";
import { Link } from "../../shared/components/Link";
import { useDocumentTitle } from "../../shared/hooks/use-document-title";
import { useLiveSubscription } from "../../shared/live/live-events";
import { navigate } from "../../shared/navigation";
import { preloadSchemaChecker } from "../../shared/schema/schema-checks";
import { OBJECT_TABS, type ObjectTab, objectPath, useRoute } from "../router";

const TAB_LABELS: Record<ObjectTab, string> = { data: "Data", schema: "Schema", access: "Access" };

function DeleteDialog({ object, onClose }: { object: HeedyObject; onClose(): void }) {
  const remove = useDeleteObject(() => navigate("/"));
  const length = useLength(object);
  return (
    <Dialog open title={`Delete “${object.name}”?`} onClose={onClose}>
      <div className="dialog-body">
        <p>
          This deletes the object
          {object.type === "timeseries" && length.isSuccess
            ? ` and its ${length.data.toLocaleString()} datapoint${length.data === 1 ? "" : "s"}`
            : " and its data"}
          . It cannot be undone.
        </p>
        {remove.isError && (
          <div className="notice error" role="alert">
            <ErrorMessage error={remove.error} />
          </div>
        )}
      </div>
      <footer className="dialog-footer">
        {/* The safe choice gets focus in a destructive dialog. */}
        <button type="button" className="button subtle" onClick={onClose} data-autofocus>
          Cancel
        </button>
        <button
          type="button"
          className="button danger"
          disabled={remove.isPending}
          onClick={() => remove.mutate(object)}
        >
          {remove.isPending ? "Deleting…" : "Delete object"}
        </button>
      </footer>
    </Dialog>
  );
}

function Tabs({ object, tab }: { object: HeedyObject; tab: ObjectTab }) {
  const id = useId();
  const route = useRoute();
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const [visited, setVisited] = useState<ReadonlySet<ObjectTab>>(() => new Set([tab]));
  if (!visited.has(tab)) setVisited(new Set([...visited, tab]));
  const go = (next: ObjectTab, focus = false) => {
    navigate(objectPath(object.id, next, route.query), { replace: false });
    if (focus) refs.current[next]?.focus();
  };
  // WAI-ARIA tabs: arrows move between tabs, Home/End jump to the ends.
  const onKeyDown = (e: KeyboardEvent) => {
    const index = OBJECT_TABS.indexOf(tab);
    const n = OBJECT_TABS.length;
    const target =
      e.key === "ArrowRight"
        ? OBJECT_TABS[(index + 1) % n]
        : e.key === "ArrowLeft"
          ? OBJECT_TABS[(index + n - 1) % n]
          : e.key === "Home"
            ? OBJECT_TABS[0]
            : e.key === "End"
              ? OBJECT_TABS[n - 1]
              : undefined;
    if (target) {
      e.preventDefault();
      go(target, true);
    }
  };
  return (
    <>
      <div className="tabs" role="tablist" aria-label="Object views" onKeyDown={onKeyDown}>
        {OBJECT_TABS.map((t) => (
          <button
            key={t}
            ref={(el) => {
              refs.current[t] = el;
            }}
            type="button"
            role="tab"
            id={`${id}-tab-${t}`}
            aria-selected={t === tab}
            aria-controls={`${id}-panel`}
            tabIndex={t === tab ? 0 : -1}
            className="tab"
            onClick={() => go(t)}
          >
            {TAB_LABELS[t]}
          </button>
        ))}
      </div>
      <div className="tab-panel" role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${tab}`}>
        {tab === "data" && <DataTab object={object} />}
        {/* Once opened, the editors stay mounted (hidden) so an unsaved draft survives a tab switch. */}
        {visited.has("schema") && (
          <div hidden={tab !== "schema"}>
            <SchemaTab object={object} />
          </div>
        )}
        {visited.has("access") && (
          <div hidden={tab !== "access"}>
            <ScopeEditor object={object} />
          </div>
        )}
      </div>
    </>
  );
}

function ObjectHeader({ object }: { object: HeedyObject }) {
  const update = useUpdateObject(object, { inlineError: true });
  const [deleting, setDeleting] = useState(false);
  // On a phone the facts fold away behind a toggle so the chart is reached without a screen of header.
  const [factsOpen, setFactsOpen] = useState(false);
  const factsId = useId();
  const access = scopeSet(object.access);
  const canBasic = canUpdateFields(access, ["description"]);
  const canFull = canUpdateFields(access, ["name"]);
  const canDelete = accessAllows(access, "delete");
  const save = (fields: Parameters<typeof update.mutateAsync>[0]) => update.mutateAsync(fields);

  return (
    <header className="object-header">
      <div className="object-title-row">
        <InlineText
          label="Name"
          className="object-name"
          value={object.name}
          display={<h1>{object.name}</h1>}
          canEdit={canFull}
          readOnlyReason="Renaming needs the update scope."
          onSave={(name) => save({ name })}
        />
        <div className="object-actions">
          <button
            type="button"
            className="button danger subtle"
            onClick={() => setDeleting(true)}
            disabled={!canDelete}
            title={canDelete ? undefined : "This app lacks the delete scope on this object"}
          >
            Delete…
          </button>
        </div>
      </div>
      <InlineText
        label="Description"
        className="object-description"
        value={object.description}
        display={object.description ? <p>{object.description}</p> : <p className="muted">No description</p>}
        multiline
        hint="Ctrl+Enter saves."
        canEdit={canBasic}
        onSave={(description) => save({ description })}
      />
      <button
        type="button"
        className="button subtle small facts-toggle"
        aria-expanded={factsOpen}
        aria-controls={factsId}
        onClick={() => setFactsOpen((o) => !o)}
      >
        {factsOpen ? "Hide details" : "Tags, key and access"}
      </button>
      <dl className={`object-facts${factsOpen ? " open" : ""}`} id={factsId}>
        <div>
          <dt>Tags</dt>
          <dd>
            <InlineText
              label="Tags"
              value={object.tags}
              display={<TagChips tags={object.tags} onToggle={(tag) => navigate(listPathForTag(tag))} />}
              hint="Separate tags with spaces."
              canEdit={canBasic}
              onSave={(tags) => save({ tags: tags.trim().split(/\s+/).filter(Boolean).join(" ") })}
            />
          </dd>
        </div>
        <div>
          <dt>Key</dt>
          <dd>
            <InlineText
              label="Key"
              value={object.key ?? ""}
              display={object.key ? <code>{object.key}</code> : <span className="muted">none</span>}
              hint="Unique among this app's objects; empty removes it."
              canEdit={canBasic && object.app !== null}
              onSave={(key) => save({ key: key.trim() })}
            />
          </dd>
        </div>
        <div>
          <dt>Type</dt>
          <dd>
            <span className="type-badge">{object.type}</span>
          </dd>
        </div>
        <div>
          <dt>Owner</dt>
          <dd>{object.owner}</dd>
        </div>
        <div>
          <dt>Access</dt>
          <dd>
            <AccessChips access={object.access} />
          </dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{object.created_date}</dd>
        </div>
      </dl>
      {deleting && <DeleteDialog object={object} onClose={() => setDeleting(false)} />}
    </header>
  );
}

export function ObjectPage({ id, tab }: { id: string; tab: ObjectTab }) {
  const object = useObject(id);
  // The schema checker loads with the page, so appending is still checked if the connection drops;
  // once the browser is idle, so its worker does not compete with the page's first chart.
  useEffect(() => {
    const w = globalThis as {
      requestIdleCallback?: (cb: () => void, o: { timeout: number }) => number;
      cancelIdleCallback?: (id: number) => void;
    };
    if (!w.requestIdleCallback || !w.cancelIdleCallback) {
      const timer = setTimeout(preloadSchemaChecker, 500);
      return () => clearTimeout(timer);
    }
    const id = w.requestIdleCallback(preloadSchemaChecker, { timeout: 2000 });
    return () => w.cancelIdleCallback?.(id);
  }, []);
  // Once it is known to exist: a subscription the server refuses would cost a reconnect.
  useLiveSubscription(object.data ? { event: "*", object: id } : undefined);
  useDocumentTitle(object.data ? `${object.data.name} (${TAB_LABELS[tab]})` : undefined);
  return (
    <div className="page object-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Objects</Link>
        <span aria-hidden="true"> / </span>
        <span aria-current="page">{object.data?.name ?? (object.isError ? "Unavailable" : "…")}</span>
      </nav>
      {object.isPending ? (
        <div className="table-skeleton" role="status" aria-busy="true" aria-label="Loading object" />
      ) : object.isError ? (
        <div className="empty-state" role="alert">
          <h1>Object unavailable</h1>
          <p>
            It does not exist, or this app cannot read it (heedy answers both the same way).{" "}
            <span className="muted">
              <ErrorMessage error={object.error} />
            </span>
          </p>
          <Link to="/" className="button">
            Back to objects
          </Link>
        </div>
      ) : (
        <>
          <ObjectHeader object={object.data} />
          <Tabs object={object.data} tab={tab} />
        </>
      )}
    </div>
  );
}
