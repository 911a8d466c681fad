import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** Owner read/write only: the data folder holds password hashes, token hashes and the plugin key. */
export const PRIVATE_MODE = 0o600;

/**
 * Writes `file` so that readers see the old or the new content, never half of either (a crash
 * mid-write of heedy.json would otherwise lose the admin list), and only the owner can read it.
 */
export function writePrivateFileAtomic(file: string, content: string): void {
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  const fd = openSync(temp, "wx", PRIVATE_MODE);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw e;
  }
  closeSync(fd);
  // The mode given to open() is reduced by the umask, never widened; chmod states it outright.
  chmodSync(temp, PRIVATE_MODE);
  renameSync(temp, file);
}

/** Narrows existing files to owner-only; files that do not exist are skipped. */
export function restrictModes(files: readonly string[]): void {
  for (const file of files) {
    try {
      chmodSync(file, PRIVATE_MODE);
    } catch (e) {
      const code = (e as { code?: string }).code;
      // Missing is fine; a folder we may read but not chmod (someone else's backup) still starts.
      if (code !== "ENOENT" && code !== "EPERM") throw e;
    }
  }
}
