/**
 * heedy.json's admin list, as one process sees it. Several processes may serve one folder (on
 * PostgreSQL), and a user renamed or deleted through one of them changes the file: every check
 * here first rereads the file when it changed, so another process never keeps treating a deleted
 * admin's name (perhaps taken by a new, ordinary user since) as an admin.
 */
import { readFileSync, statSync } from "node:fs";

export class AdminList extends Set<string> {
  /** inode, mtime and size of the file when last read; heedy.json is replaced whole on write. */
  private seen = "";

  constructor(
    names: readonly string[],
    private readonly file: string | undefined,
    private readonly save: (names: string[]) => void,
  ) {
    super(names);
  }

  override has(name: string): boolean {
    this.refresh();
    return super.has(name);
  }

  /** An admin's new username; other names are left alone. */
  rename(from: string, to: string): void {
    this.refresh();
    if (!super.delete(from)) return;
    super.add(to);
    this.write();
  }

  /** Grants (`true`) or revokes admin rights by name. */
  set(name: string, admin: boolean): void {
    this.refresh();
    if (admin === super.has(name)) return;
    if (admin) super.add(name);
    else super.delete(name);
    this.write();
  }

  forget(name: string): void {
    this.refresh();
    if (super.delete(name)) this.write();
  }

  private stamp(): string {
    if (this.file === undefined) return "";
    try {
      const s = statSync(this.file);
      return `${s.ino}:${s.mtimeMs}:${s.size}`;
    } catch {
      return this.seen;
    }
  }

  private refresh(): void {
    const stamp = this.stamp();
    if (stamp === this.seen || this.file === undefined) return;
    try {
      const names = (JSON.parse(readFileSync(this.file, "utf8")) as { admin_users?: unknown }).admin_users;
      if (!Array.isArray(names)) return;
      super.clear();
      for (const n of names) if (typeof n === "string") super.add(n);
      this.seen = stamp;
    } catch {
      // Unreadable for a moment: keep the list as it was.
    }
  }

  private write(): void {
    this.save([...this]);
    this.seen = this.stamp();
  }
}
