/** The data folder on disk: owner-only files, and a lost database refused rather than remade. */
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDataDir, DataDirError, openDataDir } from "./data-dir.js";

const temp = mkdtempSync(join(tmpdir(), "heedy-explorer-datadir-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const FILES = ["heedy.json", "plugin.key", "heedy.db", "heedy.db-wal", "heedy.db-shm"];
const mode = (file: string) => statSync(file).mode & 0o777;

async function created(name: string): Promise<string> {
  const dir = join(temp, name);
  await createDataDir(dir, { username: "alice", password: "pw" });
  return dir;
}

describe("file modes", () => {
  it("every data file is owner-only, including those SQLite creates while the server runs", async () => {
    const dir = await created("modes");
    const ctx = await openDataDir(dir);
    try {
      // The store writes, so SQLite has its -wal and -shm files open now.
      await ctx.store.users.update("alice", { description: "x" });
      for (const f of FILES) {
        expect(existsSync(join(dir, f)), f).toBe(true);
        expect(mode(join(dir, f)), f).toBe(0o600);
      }
    } finally {
      await ctx.store.close();
    }
  });

  it("an existing folder with loose modes is narrowed when it is opened", async () => {
    const dir = await created("loose");
    for (const f of ["heedy.json", "plugin.key", "heedy.db"]) chmodSync(join(dir, f), 0o644);
    const ctx = await openDataDir(dir);
    try {
      for (const f of FILES) expect(mode(join(dir, f)), f).toBe(0o600);
    } finally {
      await ctx.store.close();
    }
  });
});

describe("a lost database", () => {
  const message = /heedy\.db is missing or empty although heedy\.json is there/;

  it("a missing heedy.db is refused, not silently recreated", async () => {
    const dir = await created("missing");
    for (const f of ["heedy.db", "heedy.db-wal", "heedy.db-shm"]) rmSync(join(dir, f), { force: true });
    await expect(openDataDir(dir)).rejects.toThrow(DataDirError);
    await expect(openDataDir(dir)).rejects.toThrow(message);
    expect(existsSync(join(dir, "heedy.db"))).toBe(false);
  });

  it("an empty heedy.db is refused too", async () => {
    const dir = await created("empty");
    for (const f of ["heedy.db-wal", "heedy.db-shm"]) rmSync(join(dir, f), { force: true });
    writeFileSync(join(dir, "heedy.db"), "");
    await expect(openDataDir(dir)).rejects.toThrow(message);
  });

  it("start explains it in one plain sentence", async () => {
    const dir = await created("cli");
    rmSync(join(dir, "heedy.db"));
    const out = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      // A server that does start (the hole this guards) is stopped rather than left running.
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "src/server/main.ts", "start", dir, "--port", "0"],
        {
          timeout: 15_000,
        },
      );
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      child.on("exit", (code) => resolve({ code, stderr }));
    });
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(message);
    expect(out.stderr).toMatch(/restore heedy\.db from a backup/);
    expect(out.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("the admin list, shared by processes serving one folder", () => {
  it("a rename or delete through one is seen by the other, and never undone by its old list", async () => {
    const dir = await created("admins");
    const file = join(dir, "heedy.json");
    const config = JSON.parse(readFileSync(file, "utf8")) as { admin_users: string[] };
    writeFileSync(file, JSON.stringify({ ...config, admin_users: ["alice", "bob"] }));
    const one = await openDataDir(dir);
    const two = await openDataDir(dir);
    try {
      expect(two.adminUsers.has("alice")).toBe(true);
      one.renameAdmin("alice", "alicia");
      expect(two.adminUsers.has("alice")).toBe(false);
      expect(two.adminUsers.has("alicia")).toBe(true);
      // The second process writes its change on top of the first one's, not over it.
      two.forgetAdmin("bob");
      expect(one.adminUsers.has("bob")).toBe(false);
      expect(one.adminUsers.has("alicia")).toBe(true);
      expect((JSON.parse(readFileSync(file, "utf8")) as { admin_users: string[] }).admin_users).toEqual([
        "alicia",
      ]);
    } finally {
      await one.store.close();
      await two.store.close();
    }
  });
});
