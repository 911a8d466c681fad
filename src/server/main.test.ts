import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "./test-net.js";

const temp = mkdtempSync(join(tmpdir(), "heedy-explorer-cli-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/server/main.ts", ...args]);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts `start …` and resolves with the first stdout line, once the server is listening. */
function startServer(args: string[]): Promise<{ child: ChildProcess; line: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/server/main.ts", "start", ...args]);
    let out = "";
    let err = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const nl = out.indexOf("\n");
      if (nl >= 0) resolve({ child, line: out.slice(0, nl) });
    });
    child.stderr!.on("data", (d) => (err += d));
    child.on("exit", (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
}

async function stop(child: ChildProcess) {
  child.removeAllListeners("exit");
  const done = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await done;
}

describe("heedy-explorer CLI", () => {
  it("start --init on a new folder prints exactly one clickable login link whose token works", async () => {
    const dir = join(temp, "first-run");
    const port = await freePort();
    const { child, line } = await startServer([dir, "--init", "--port", String(port)]);
    try {
      expect(line).toMatch(new RegExp(`^http://localhost:${port}/#token=[A-Za-z0-9_-]{24}$`));
      const token = line.split("#token=")[1];
      const res = await fetch(`http://127.0.0.1:${port}/api/objects`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual([]);
      const me = (await (
        await fetch(`http://127.0.0.1:${port}/api/apps/self`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json()) as { name: string; scope: string };
      expect(me).toMatchObject({ name: "Explorer", scope: "*" });
    } finally {
      await stop(child);
    }
    // A second start finds the folder and does not make a new app or token.
    const again = await startServer([dir, "--init", "--port", String(port)]);
    try {
      expect(again.line).not.toContain("#token=");
      expect(again.line).toContain(`http://localhost:${port}/`);
    } finally {
      await stop(again.child);
    }
  });

  it("create makes a folder with a user, a test app with the chosen token, and prints the plugin key", async () => {
    const dir = join(temp, "created");
    const created = await run([
      "create",
      dir,
      "--username",
      "alice",
      "--password",
      "pw",
      "--testapp",
      "known-token",
    ]);
    expect(created.code).toBe(0);
    const key = (await run(["key", dir])).stdout.trim();
    expect(key.length).toBeGreaterThanOrEqual(40);
    expect(created.stdout).toContain(key);
    const port = await freePort();
    const { child } = await startServer([dir, "--port", String(port)]);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/apps/self`, {
        headers: { authorization: "Bearer known-token" },
      });
      expect(await res.json()).toMatchObject({ name: "Test App", owner: "alice", scope: "*" });
    } finally {
      await stop(child);
    }
    const refused = await run(["create", dir, "--username", "bob", "--password", "pw"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/is not empty/);
  });

  it("--testplugin serves heedy's plugin test hook on loopback only, and only when asked", async () => {
    const dir = join(temp, "test-plugin");
    expect((await run(["create", dir, "--username", "alice", "--password", "pw"])).code).toBe(0);
    const key = (await run(["key", dir])).stdout.trim();
    const port = await freePort();
    const plain = await startServer([dir, "--port", String(port)]);
    try {
      expect((await fetch(`http://127.0.0.1:${port}/api/testplugin`)).status).toBe(404);
    } finally {
      await stop(plain.child);
    }
    const hooked = await startServer([dir, "--port", String(port), "--testplugin"]);
    try {
      const config = (await (await fetch(`http://127.0.0.1:${port}/api/testplugin`)).json()) as {
        apikey: string;
        config: { api: string };
      };
      expect(config).toEqual({
        plugin: "testplugin",
        apikey: key,
        config: { api: `http://127.0.0.1:${port}` },
      });
      // A page reached through a rebinding DNS name does not get the key.
      const rebound = await new Promise<number>((done, fail) => {
        request(`http://127.0.0.1:${port}/api/testplugin`, { headers: { host: "evil.example" } }, (res) => {
          res.resume();
          done(res.statusCode ?? 0);
        })
          .on("error", fail)
          .end();
      });
      expect(rebound).toBe(403);
      // The key it hands out acts as the server itself, as heedy's plugin tests expect.
      const users = await fetch(`${config.config.api}/api/users`, {
        headers: { "x-heedy-key": config.apikey },
      });
      expect(((await users.json()) as { username: string }[]).map((u) => u.username)).toEqual(["alice"]);
    } finally {
      await stop(hooked.child);
    }
    const open = await run(["start", dir, "--host", "0.0.0.0", "--port", String(port), "--testplugin"]);
    expect(open.code).toBe(2);
    expect(open.stderr).toMatch(/only allowed with a loopback --host/);
  });

  it("token issues a new working link for the Explorer app", async () => {
    const dir = join(temp, "created");
    const out = await run(["token", dir]);
    expect(out.code).toBe(0);
    expect(out.stdout.trim()).toMatch(/^http:\/\/localhost:1324\/#token=[A-Za-z0-9_-]{24}$/);
  });

  it("explains a missing data folder without a stack trace", async () => {
    const out = await run(["start", join(temp, "nope")]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/does not exist; create it with: heedy-explorer create/);
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });

  it("explains a corrupt database without a stack trace", async () => {
    const dir = join(temp, "corrupt");
    expect((await run(["create", dir, "--username", "alice", "--password", "pw"])).code).toBe(0);
    writeFileSync(
      join(dir, "heedy.db"),
      "this is not a database, just text that fills the header".repeat(100),
    );
    rmSync(join(dir, "heedy.db-wal"), { force: true });
    rmSync(join(dir, "heedy.db-shm"), { force: true });
    const out = await run(["start", dir, "--port", "0"]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/heedy\.db cannot be opened: file is not a database/);
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });

  it("explains a corrupt configuration file", async () => {
    const dir = join(temp, "badconfig");
    expect((await run(["create", dir, "--username", "alice", "--password", "pw"])).code).toBe(0);
    writeFileSync(join(dir, "heedy.json"), "{not json");
    const out = await run(["start", dir]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/heedy\.json is corrupt/);
  });

  it("refuses unknown commands and bad flags with usage", async () => {
    const out = await run(["frobnicate"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/unknown command "frobnicate"/);
    expect(out.stderr).toMatch(/Usage:/);
    for (const [args, sentence] of [
      [["start", "dir", "--frobnicate", "x"], "heedy-explorer: unknown flag --frobnicate\n"],
      [["start", "dir", "--port"], "heedy-explorer: --port needs a value\n"],
      [["start", "dir", "--port", "--init"], "heedy-explorer: --port needs a value\n"],
      [["start", "dir", "--init=yes"], "heedy-explorer: --init takes no value\n"],
    ] as const) {
      const bad = await run([...args]);
      expect(bad.code).toBe(2);
      expect(bad.stderr.startsWith(sentence)).toBe(true);
      expect(bad.stderr).toMatch(/Usage:/);
      expect(bad.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("prints the usage for help, --help and -h", async () => {
    for (const args of [["help"], ["--help"], ["start", "-h"]]) {
      const out = await run(args);
      expect(out.code).toBe(0);
      expect(out.stdout).toMatch(/^heedy-explorer: a heedy-compatible personal-data server/);
      expect(out.stdout).toContain("heedy-explorer start --upstream URL");
    }
  });
});
