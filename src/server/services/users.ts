/**
 * What user writes mean (contract 4): reserved and unique usernames, checked names and icons,
 * passwords stored only as scrypt hashes, and admin rights following a rename.
 */
import { type EventSink, userEvent } from "../events/event-of.js";
import { accessDenied, HttpError } from "../http/errors.js";
import { hashPassword } from "../secrets.js";
import { ConstraintError, type Store, type UserRecord } from "../store/index.js";
import { checkIcon, checkName, checkUsername } from "../validate.js";

/**
 * heedy's database always holds these pseudo-users (section 0), so a real user can never take
 * their names: they mean "the plugin key", "everybody" and "every logged-in user" elsewhere.
 */
export const RESERVED_USERNAMES: ReadonlySet<string> = new Set(["heedy", "public", "users"]);

export interface UserFields {
  username?: string;
  password?: string;
  name?: string;
  description?: string;
  icon?: string;
  public_read?: boolean;
  users_read?: boolean;
}

const emptyPassword = () => new HttpError(400, "bad_request: A user cannot have an empty password");

/**
 * heedy reports a taken username as the database's own constraint text (4.2). Called inside the
 * write's transaction; a racing writer on another process still meets the unique key, which
 * reports the same constraint.
 */
async function checkFree(store: Store, username: string): Promise<void> {
  if (RESERVED_USERNAMES.has(username) || (await store.users.get(username))) {
    throw new ConstraintError("users.username");
  }
}

/** Same rule as an update: "" is the default, anything else must be a valid name (section 3). */
const displayName = (name: string | undefined) => (name === undefined || name === "" ? "" : checkName(name));

export async function createUser(store: Store, fields: UserFields, events?: EventSink): Promise<void> {
  const username = checkUsername(fields.username ?? "");
  if (!fields.password) throw emptyPassword();
  const record = {
    username,
    name: displayName(fields.name),
    description: fields.description ?? "",
    icon: checkIcon(fields.icon ?? ""),
    public_read: fields.public_read ?? false,
    users_read: fields.users_read ?? false,
    password_hash: "",
  };
  await checkFree(store, username);
  // Hashing is slow: done outside the transaction, which then checks again and writes.
  record.password_hash = await hashPassword(fields.password);
  await store.transaction(async (tx) => {
    await checkFree(tx, username);
    await tx.users.create(record);
  });
  events?.publish(userEvent("user_create", username));
}

export interface UserUpdateHooks {
  /** Records a new username in the configuration, so admin rights follow the rename. */
  renameAdmin(from: string, to: string): void;
  /** Whether heedy.json lists `name` as an admin. */
  isAdminName(name: string): boolean;
  /** The session making the change: kept when the password changes, every other one ends. */
  keepSession?: string;
  events?: EventSink;
}

/** Applies a user PATCH the requester may make. */
export async function updateUser(
  store: Store,
  target: UserRecord,
  fields: UserFields,
  hooks: UserUpdateHooks,
): Promise<void> {
  const patch: Partial<UserRecord> = {};
  if (fields.username !== undefined && fields.username !== target.username) {
    patch.username = checkUsername(fields.username);
    await checkFree(store, patch.username);
    // heedy.json grants admin by name; an entry left from a removed user must not pass to
    // whoever renames themselves to it.
    if (hooks.isAdminName(patch.username)) {
      throw accessDenied("That username is reserved for an admin in the server's configuration");
    }
  }
  if (fields.password !== undefined) {
    // Decision 3: an empty password is refused on update too (heedy accepts it, 12.20).
    if (fields.password === "") throw emptyPassword();
    patch.password_hash = await hashPassword(fields.password);
  }
  if (fields.name !== undefined) patch.name = displayName(fields.name);
  if (fields.description !== undefined) patch.description = fields.description;
  if (fields.icon !== undefined) patch.icon = checkIcon(fields.icon);
  if (fields.public_read !== undefined) patch.public_read = fields.public_read;
  if (fields.users_read !== undefined) patch.users_read = fields.users_read;
  await store.transaction(async (tx) => {
    if (patch.username !== undefined) await checkFree(tx, patch.username);
    await tx.users.update(target.username, patch);
    if (patch.password_hash !== undefined) {
      // Whoever knew the old password may hold a session; only the one making the change stays.
      await tx.sessions.deleteForUser(patch.username ?? target.username, hooks.keepSession);
    }
  });
  if (patch.username !== undefined) hooks.renameAdmin(target.username, patch.username);
  const data = patch.username !== undefined ? { previous: target.username } : undefined;
  hooks.events?.publish(userEvent("user_update", patch.username ?? target.username, data));
}

export async function deleteUser(store: Store, username: string, events?: EventSink): Promise<void> {
  await store.users.delete(username);
  events?.publish(userEvent("user_delete", username));
}
