import { type FormEvent, useState } from "react";
import type { AppData } from "../../../../client/index";
import { formatScopeSet, scopeSet } from "../../../../core/scopes";
import { Dialog } from "../../../shared/components/Dialog";
import { FormError } from "../../../shared/components/FormError";
import { Link } from "../../../shared/components/Link";
import { TextField } from "../../../shared/components/TextField";
import { APP_PRESETS } from "../../../shared/scopes/scope-model";
import { useCreateApp } from "../api/apps";
import { AppScopeEditor } from "./AppScopeEditor";
import { TokenReveal } from "./TokenReveal";

/** Name, description and scopes; then the new token, once. */
export function CreateAppDialog({
  open,
  onClose,
  appHref,
}: {
  open: boolean;
  onClose(): void;
  appHref(id: string): string;
}) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [scopes, setScopes] = useState<Set<string>>(() => scopeSet(APP_PRESETS[0]!.scope));
  const [created, setCreated] = useState<(AppData & { access_token: string }) | null>(null);
  const create = useCreateApp();

  const close = () => {
    setName("");
    setDescription("");
    setScopes(scopeSet(APP_PRESETS[0]!.scope));
    setCreated(null);
    create.reset();
    onClose();
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return;
    create.mutate(
      { name: name.trim(), description, scope: formatScopeSet(scopes) },
      { onSuccess: (app) => setCreated(app) },
    );
  };

  return (
    <Dialog
      open={open}
      title={created ? `Created “${created.name}”` : "New app"}
      onClose={close}
      className="wide-dialog"
    >
      {created ? (
        <div className="dialog-body">
          <TokenReveal token={created.access_token} appName={created.name} />
          <div className="dialog-footer">
            <Link to={appHref(created.id)} className="button" onClick={close}>
              Open the app's page
            </Link>
            <button type="button" className="button primary" onClick={close}>
              Done
            </button>
          </div>
        </div>
      ) : (
        <form className="dialog-body" onSubmit={submit} aria-label="New app">
          <TextField label="Name" value={name} onChange={setName} required />
          <TextField label="Description" value={description} onChange={setDescription} />
          <AppScopeEditor value={scopes} onChange={setScopes} disabled={create.isPending} />
          <FormError error={create.error} title="The app was not created" />
          <div className="dialog-footer">
            <button type="button" className="button subtle" onClick={close}>
              Cancel
            </button>
            <button type="submit" className="button primary" disabled={!name.trim() || create.isPending}>
              {create.isPending ? "Creating…" : "Create app"}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
