import { type FormEvent, useId, useState } from "react";
import type { UserData } from "../../../../client/index";
import { errorDetail, notifySuccess } from "../../../shared/notifications/notification-store";
import { useSession } from "../../../shared/session/session-store";
import { useChangePassword, useEndSession, useProfile, useSessions, useUpdateProfile } from "../api/account";
import { deviceName } from "../model/user-agent";

export function ProfileCard() {
  const profile = useProfile();
  return (
    <section className="card app-section" aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      {profile.isPending ? (
        <p className="muted">Loading…</p>
      ) : profile.isError ? (
        <p role="alert">{errorDetail(profile.error)}</p>
      ) : (
        <ProfileForm key={`${profile.data.name}:${profile.data.description}`} user={profile.data} />
      )}
    </section>
  );
}

function ProfileForm({ user }: { user: UserData }) {
  const id = useId();
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
      <div className="field">
        <label htmlFor={`${id}-name`}>Name</label>
        <input
          type="text"
          id={`${id}-name`}
          value={name}
          onChange={(e) => setName(e.target.value)}
          autoComplete="name"
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-description`}>Description</label>
        <textarea
          id={`${id}-description`}
          rows={3}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </div>
      {update.isError && (
        <p className="field-error" role="alert">
          {errorDetail(update.error)}
        </p>
      )}
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
        <div className="field">
          <label htmlFor={`${id}-old`}>Current password</label>
          <input
            id={`${id}-old`}
            type="password"
            autoComplete="current-password"
            value={oldPassword}
            onChange={(e) => setOld(e.target.value)}
            required
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-new`}>New password</label>
          <input
            id={`${id}-new`}
            type="password"
            autoComplete="new-password"
            value={newPassword}
            onChange={(e) => setNew(e.target.value)}
            required
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-repeat`}>Repeat the new password</label>
          <input
            id={`${id}-repeat`}
            type="password"
            autoComplete="new-password"
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
            aria-invalid={mismatch || undefined}
            aria-describedby={mismatch ? `${id}-mismatch` : undefined}
            required
          />
          {mismatch && (
            <span id={`${id}-mismatch`} className="field-error">
              The two new passwords differ.
            </span>
          )}
        </div>
        <p className="hint">Changing it signs out every other session of yours.</p>
        {change.isError && (
          <div className="notice error" role="alert">
            <strong>The password was not changed</strong>
            <span>{errorDetail(change.error)}</span>
          </div>
        )}
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
      {sessions.isPending ? (
        <p className="muted">Loading…</p>
      ) : sessions.isError ? (
        <p role="alert">{errorDetail(sessions.error)}</p>
      ) : (
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
              {sessions.data.map((s) => (
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
      {end.isError && (
        <p className="field-error" role="alert">
          {errorDetail(end.error)}
        </p>
      )}
    </section>
  );
}
