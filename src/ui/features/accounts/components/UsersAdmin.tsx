import { type FormEvent, useId, useState } from "react";
import { ConfirmDialog } from "../../../shared/components/ConfirmDialog";
import { FormError } from "../../../shared/components/FormError";
import { QueryState } from "../../../shared/components/QueryState";
import { TextField } from "../../../shared/components/TextField";
import { notifySuccess } from "../../../shared/notifications/notification-store";
import { useSession } from "../../../shared/session/session-store";
import { useAdmins, useCreateUser, useDeleteUser, useSetAdmin, useUsers } from "../api/account";

/** Admins only (heedy.json's `admin_users`): the users, creating and deleting them, admin rights. */
export function UsersAdmin() {
  const me = useSession((s) => s.person?.user.username);
  const users = useUsers();
  const admins = useAdmins();
  const setAdmin = useSetAdmin();
  const [deleting, setDeleting] = useState<string | null>(null);
  const remove = useDeleteUser();
  const adminSet = new Set(admins.data ?? []);

  return (
    <div className="account-grid">
      <section className="card app-section" aria-labelledby="users-title">
        <h2 id="users-title">Users</h2>
        <QueryState query={users}>
          {(list) => (
            <div className="table-wrap">
              <table className="objects-table" aria-label="Users">
                <thead>
                  <tr>
                    <th scope="col">Username</th>
                    <th scope="col">Name</th>
                    <th scope="col">Admin</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((u) => {
                    const isAdmin = adminSet.has(u.username);
                    return (
                      <tr key={u.username}>
                        <td>
                          <code>{u.username}</code>
                          {u.username === me && <span className="muted small"> (you)</span>}
                        </td>
                        <td>{u.name}</td>
                        <td>
                          <label className="checkbox">
                            <input
                              type="checkbox"
                              checked={isAdmin}
                              disabled={admins.isPending || setAdmin.isPending}
                              onChange={(e) => {
                                const admin = e.target.checked;
                                setAdmin.mutate(
                                  { username: u.username, admin },
                                  {
                                    onSuccess: () =>
                                      notifySuccess(
                                        admin
                                          ? `${u.username} is now an admin`
                                          : `${u.username} is no longer an admin`,
                                      ),
                                  },
                                );
                              }}
                            />
                            <span className="visually-hidden">Admin: {u.username}</span>
                            <span aria-hidden="true">{isAdmin ? "admin" : ""}</span>
                          </label>
                        </td>
                        <td className="actions-cell">
                          <button
                            type="button"
                            className="button subtle"
                            disabled={u.username === me}
                            title={
                              u.username === me ? "Delete your own account from its owner's side" : undefined
                            }
                            aria-label={`Delete user ${u.username}`}
                            onClick={() => setDeleting(u.username)}
                          >
                            Delete…
                          </button>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </QueryState>
        <FormError error={setAdmin.error} />
      </section>
      <CreateUserCard />
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete user “${deleting ?? ""}”?`}
        onClose={() => setDeleting(null)}
        error={remove.error}
        pending={remove.isPending}
        confirmLabel="Delete user"
        pendingLabel="Deleting…"
        onConfirm={() =>
          deleting &&
          remove.mutate(deleting, {
            onSuccess: () => {
              notifySuccess(`Deleted user ${deleting}`);
              setDeleting(null);
            },
          })
        }
      >
        <p>Their apps, objects and data are deleted with them. This cannot be undone.</p>
      </ConfirmDialog>
    </div>
  );
}

function CreateUserCard() {
  const id = useId();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [name, setName] = useState("");
  const create = useCreateUser();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { username: username.trim(), password, ...(name.trim() ? { name: name.trim() } : {}) },
      {
        onSuccess: () => {
          notifySuccess(`Created user ${username.trim()}; they can sign in now`);
          setUsername("");
          setPassword("");
          setName("");
        },
      },
    );
  };
  return (
    <section className="card app-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Create a user</h2>
      <form onSubmit={submit} aria-label="Create a user">
        <TextField label="Username" value={username} onChange={setUsername} spellCheck={false} required />
        <TextField label="Name (optional)" value={name} onChange={setName} />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={setPassword}
          required
        />
        <FormError error={create.error} title="The user was not created" />
        <div className="form-actions">
          <button
            type="submit"
            className="button primary"
            disabled={!username.trim() || !password || create.isPending}
          >
            {create.isPending ? "Creating…" : "Create user"}
          </button>
        </div>
      </form>
    </section>
  );
}
