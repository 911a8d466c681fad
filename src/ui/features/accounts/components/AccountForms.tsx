import { type FormEvent, useId, useState } from "react";
import type { UserData } from "../../../../client/index";
import { FormError } from "../../../shared/components/FormError";
import { QueryState } from "../../../shared/components/QueryState";
import { TextField } from "../../../shared/components/TextField";
import { notifySuccess } from "../../../shared/notifications/notification-store";
import { useSession } from "../../../shared/session/session-store";
import { useChangePassword, useEndSession, useProfile, useSessions, useUpdateProfile } from "../api/account";
import { deviceName } from "../model/user-agent";

export function ProfileCard() {
  const profile = useProfile();
  return (
    <section className="card app-section" aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <QueryState query={profile}>
        {(user) => <ProfileForm key={`${user.name}:${user.description}`} user={user} />}
      </QueryState>
    </section>
  );
}

function ProfileForm({ user }: { user: UserData }) {
  const [name, setName] = useState(user.name);
  const [description, setDescription] = useState(user.description);
  const update = useUpdateProfile();
  const dirty = name !== user.name || description !== user.description;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate({ name, description }, { onSuccess: () => notifySuccess("Profile saved") });
  };
  return (
    <form onSubmit={submit} aria-label="Profile">
      <p className="muted">
        Username <code>{user.username}</code>
      </p>
      <TextField label="Name" value={name} onChange={setName} autoComplete="name" />
      <TextField label="Description" value={description} onChange={setDescription} rows={3} />
      <FormError error={update.error} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={!dirty || update.isPending}>
          {update.isPending ? "Saving…" : "Save profile"}
        </button>
      </div>
    </form>
  );
}

export function PasswordCard() {
  const id = useId();
  const username = useSession((s) => s.person?.user.username ?? "");
  const [oldPassword, setOld] = useState("");
  const [newPassword, setNew] = useState("");
  const [repeat, setRepeat] = useState("");
  const change = useChangePassword();
  const mismatch = repeat !== "" && repeat !== newPassword;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!oldPassword || !newPassword || mismatch) return;
    change.mutate(
      { oldPassword, newPassword },
      {
        onSuccess: () => {
          setOld("");
          setNew("");
          setRepeat("");
          notifySuccess("Password changed; your other sessions were signed out");
        },
      },
    );
  };
  return (
    <section className="card app-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Password</h2>
      <form onSubmit={submit} aria-label="Change password">
        {/* For password managers: which account this password belongs to. */}
        <input type="text" autoComplete="username" value={username} readOnly hidden />
        <TextField
          label="Current password"
          type="password"
          autoComplete="current-password"
          value={oldPassword}
          onChange={setOld}
          required
        />
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          value={newPassword}
          onChange={setNew}
          required
        />
        <TextField
          label="Repeat the new password"
          type="password"
          autoComplete="new-password"
          value={repeat}
          onChange={setRepeat}
          error={mismatch ? "The two new passwords differ." : undefined}
          required
        />
        <p className="hint">Changing it signs out every other session of yours.</p>
        <FormError error={change.error} title="The password was not changed" />
        <div className="form-actions">
          <button
            type="submit"
            className="button primary"
            disabled={!oldPassword || !newPassword || !repeat || mismatch || change.isPending}
          >
            {change.isPending ? "Changing…" : "Change password"}
          </button>
        </div>
      </form>
    </section>
  );
}

export function SessionsCard() {
  const sessions = useSessions();
  const end = useEndSession();
  const signOut = useSession((s) => s.signOut);
  return (
    <section className="card app-section" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Your sessions</h2>
      <p className="muted">
        Every browser signed in with your password. Sign out the ones you do not recognise.
      </p>
      <QueryState query={sessions}>
        {(list) => (
          <div className="table-wrap">
            <table className="objects-table" aria-label="Sessions">
              <thead>
                <tr>
                  <th scope="col">Device</th>
                  <th scope="col" className="hide-narrow">
                    Created
                  </th>
                  <th scope="col">Last used</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((s) => (
                  <tr key={s.sessionid} className={s.current ? "current-row" : undefined}>
                    <td>
                      <span title={s.description}>{deviceName(s.description)}</span>
                      {s.current && <span className="chip enabled current-chip">this browser</span>}
                    </td>
                    <td className="hide-narrow">
                      <time dateTime={s.created_date}>{s.created_date}</time>
                    </td>
                    <td>
                      <time dateTime={s.last_access_date}>{s.last_access_date}</time>
                    </td>
                    <td className="actions-cell">
                      <button
                        type="button"
                        className="button subtle"
                        disabled={end.isPending}
                        aria-label={`Sign out ${deviceName(s.description)}${s.current ? " (this browser)" : ""}, created ${s.created_date}`}
                        onClick={() => (s.current ? signOut() : end.mutate(s.sessionid))}
                      >
                        Sign out
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
      <FormError error={end.error} />
    </section>
  );
}
