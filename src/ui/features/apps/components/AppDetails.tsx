import { type FormEvent, useId, useState } from "react";
import type { AppData } from "../../../../client/index";
import { formatScopeSet, scopeSet } from "../../../../core/scopes";
import { ConfirmDialog } from "../../../shared/components/ConfirmDialog";
import { FormError } from "../../../shared/components/FormError";
import { Link } from "../../../shared/components/Link";
import { QueryState } from "../../../shared/components/QueryState";
import { TextField } from "../../../shared/components/TextField";
import { notifySuccess } from "../../../shared/notifications/notification-store";
import { useAppObjects, useDeleteApp, useResetToken, useUpdateApp } from "../api/apps";
import { objectsWord } from "../model/app-list";
import { AppScopeEditor } from "./AppScopeEditor";
import { AppSettingsForm } from "./AppSettingsForm";
import { TokenReveal } from "./TokenReveal";

interface Props {
  app: AppData;
  objectHref(id: string): string;
  /** Where to go once the app is deleted. */
  leave(): void;
}

/** One app: edit, enable or disable, reset the token, settings, its objects, delete. */
export function AppDetails({ app, objectHref, leave }: Props) {
  const objects = useAppObjects(app.id);
  const count = objects.data?.length;
  return (
    <div className="app-details">
      <header className="page-header">
        <div>
          <h1>{app.name}</h1>
          <p className="muted">
            <span className={`chip ${app.enabled ? "enabled" : "disabled"}`}>
              {app.enabled ? "enabled" : "disabled"}
            </span>{" "}
            {/* Dates break as a whole on a phone, never inside "2026-11-30". */}
            <span className="nowrap">created {app.created_date}</span> ·{" "}
            <span className="nowrap">last used {app.last_access_date ?? "never"}</span>
            {count !== undefined && ` · ${objectsWord(count)}`}
          </p>
        </div>
      </header>
      <EditForm key={`${app.id}:${app.name}:${app.description}:${app.scope}`} app={app} />
      <div className="app-cards">
        <EnabledCard app={app} />
        <TokenCard app={app} />
      </div>
      <AppSettingsForm app={app} />
      <section className="card app-section" aria-labelledby={`objects-${app.id}`}>
        <h2 id={`objects-${app.id}`}>Objects of this app</h2>
        <QueryState query={objects}>
          {(list) =>
            list.length === 0 ? (
              <p className="muted">None yet. The app creates them with its token.</p>
            ) : (
              <ul className="app-objects">
                {list.map((o) => (
                  <li key={o.id}>
                    <Link to={objectHref(o.id)} className="object-link">
                      {o.name}
                    </Link>{" "}
                    <span className="type-badge">{o.type}</span>
                    {o.last_modified && <span className="muted small"> · data {o.last_modified}</span>}
                  </li>
                ))}
              </ul>
            )
          }
        </QueryState>
      </section>
      <DeleteCard app={app} count={count} leave={leave} />
    </div>
  );
}

function EditForm({ app }: { app: AppData }) {
  const id = useId();
  const [name, setName] = useState(app.name);
  const [description, setDescription] = useState(app.description);
  const [scopes, setScopes] = useState<Set<string>>(() => scopeSet(app.scope));
  const update = useUpdateApp(app.id);
  const scopeText = formatScopeSet(scopes);
  const dirty =
    name !== app.name || description !== app.description || scopeText !== formatScopeSet(scopeSet(app.scope));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return;
    update.mutate(
      { name: name.trim(), description, scope: scopeText },
      { onSuccess: () => notifySuccess("App saved") },
    );
  };

  return (
    <form className="card app-section" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Name, description and scopes</h2>
      <div className="field-row">
        <TextField label="Name" value={name} onChange={setName} required className="wide" />
        <TextField label="Description" value={description} onChange={setDescription} className="wide" />
      </div>
      <AppScopeEditor value={scopes} onChange={setScopes} disabled={update.isPending} />
      <FormError error={update.error} title="The server refused the change" />
      <div className="form-actions">
        <button
          type="submit"
          className="button primary"
          disabled={!dirty || !name.trim() || update.isPending}
        >
          {update.isPending ? "Saving…" : "Save changes"}
        </button>
        <button
          type="button"
          className="button subtle"
          disabled={!dirty}
          onClick={() => {
            setName(app.name);
            setDescription(app.description);
            setScopes(scopeSet(app.scope));
          }}
        >
          Discard
        </button>
      </div>
    </form>
  );
}

function EnabledCard({ app }: { app: AppData }) {
  const update = useUpdateApp(app.id);
  return (
    <section className="card app-section" aria-labelledby={`enabled-${app.id}`}>
      <h2 id={`enabled-${app.id}`}>{app.enabled ? "Enabled" : "Disabled"}</h2>
      <p className="muted">
        {app.enabled
          ? "The app's token works. Disabling refuses it at once, without losing the app or its data."
          : "The app's token is refused. Enable it to let the app back in with the same token."}
      </p>
      <div className="form-actions">
        <button
          type="button"
          className="button"
          disabled={update.isPending}
          onClick={() =>
            update.mutate(
              { enabled: !app.enabled },
              { onSuccess: () => notifySuccess(app.enabled ? "App disabled" : "App enabled") },
            )
          }
        >
          {app.enabled ? "Disable app" : "Enable app"}
        </button>
      </div>
      <FormError error={update.error} />
    </section>
  );
}

function TokenCard({ app }: { app: AppData }) {
  const [confirming, setConfirming] = useState(false);
  const [token, setToken] = useState<string | null>(null);
  const reset = useResetToken(app.id);
  return (
    <section className="card app-section" aria-labelledby={`token-${app.id}`}>
      <h2 id={`token-${app.id}`}>Access token</h2>
      <p className="muted">
        The server keeps only a hash of the token, so it cannot be shown again. Resetting makes a new one and
        the old one stops working.
      </p>
      {token && <TokenReveal token={token} appName={app.name} />}
      <div className="form-actions">
        <button type="button" className="button" onClick={() => setConfirming(true)}>
          Reset token…
        </button>
      </div>
      <ConfirmDialog
        open={confirming}
        title={`Reset the token of “${app.name}”?`}
        onClose={() => setConfirming(false)}
        error={reset.error}
        pending={reset.isPending}
        confirmLabel="Reset token"
        pendingLabel="Resetting…"
        onConfirm={() =>
          reset.mutate(undefined, {
            onSuccess: (fresh) => {
              setToken(fresh);
              setConfirming(false);
            },
          })
        }
      >
        <p>Everything using the current token stops working until it gets the new one.</p>
      </ConfirmDialog>
    </section>
  );
}

function DeleteCard({ app, count, leave }: { app: AppData; count: number | undefined; leave(): void }) {
  const [confirming, setConfirming] = useState(false);
  const remove = useDeleteApp(leave);
  const what = count === undefined ? "its objects" : count === 0 ? "no objects" : `its ${objectsWord(count)}`;
  return (
    <section className="card app-section danger-zone" aria-labelledby={`delete-${app.id}`}>
      <h2 id={`delete-${app.id}`}>Delete this app</h2>
      <p className="muted">The app, its token, settings and every object it holds go for good.</p>
      <div className="form-actions">
        <button type="button" className="button danger" onClick={() => setConfirming(true)}>
          Delete app…
        </button>
      </div>
      <ConfirmDialog
        open={confirming}
        title={`Delete “${app.name}”?`}
        onClose={() => setConfirming(false)}
        error={remove.error}
        pending={remove.isPending}
        confirmLabel={count ? `Delete app and ${objectsWord(count)}` : "Delete app"}
        pendingLabel="Deleting…"
        onConfirm={() =>
          remove.mutate(app.id, { onSuccess: () => notifySuccess(`Deleted “${app.name}” and ${what}`) })
        }
      >
        <p>
          This deletes the app together with {what}
          {count ? ", including all their data" : ""}. It cannot be undone.
        </p>
      </ConfirmDialog>
    </section>
  );
}
