import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { describe, expect, it } from "vitest";
import { freePort, waitForServer } from "./test-net.js";

describe("test-net", () => {
  it("freePort gives a port a server can listen on, and waitForServer sees it answer", async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    const srv = createServer((_req, res) => res.end("ok"));
    await new Promise<void>((ok) => srv.listen(port, "127.0.0.1", ok));
    try {
      await expect(waitForServer(`http://127.0.0.1:${port}/`, { timeoutMs: 2000 })).resolves.toBeUndefined();
    } finally {
      await new Promise((ok) => srv.close(ok));
    }
  });

  it("waitForServer fails when nothing listens, and early when the server process has exited", async () => {
    const port = await freePort();
    await expect(waitForServer(`http://127.0.0.1:${port}/`, { timeoutMs: 200 })).rejects.toThrow(
      /did not answer/,
    );
    const child = spawn(process.execPath, ["-e", "process.exit(3)"]);
    await new Promise((ok) => child.once("exit", ok));
    await expect(waitForServer(`http://127.0.0.1:${port}/`, { child, timeoutMs: 5000 })).rejects.toThrow(
      "server exited with 3",
    );
  });
});
