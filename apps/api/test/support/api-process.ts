import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";

const serverEntry = new URL("../../src/server.ts", import.meta.url).pathname;

export const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });

export interface ApiProcess {
  url: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  /** Every JSON log line the process wrote to stdout so far. */
  logs(): Record<string, unknown>[];
  /** The first log line that matches, once it has come through the pipe (rejects after 10 s). */
  waitForLog(matches: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  stderr(): string;
  /** SIGTERM, then wait for the exit code. */
  stop(): Promise<number | null>;
}

/**
 * The API as the chart runs it, `node src/server.ts` configured only by its environment, on a
 * free loopback port; resolves once `/health/ready` answers 200.
 */
export async function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [serverEntry], {
    env: { PATH: process.env.PATH ?? "", PORT: String(port), HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Record<string, unknown>[] = [];
  let partial = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    partial += chunk.toString();
    const complete = partial.split("\n");
    partial = complete.pop() ?? "";
    for (const line of complete) {
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ msg: line });
      }
    }
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (gone) throw new Error(`the API exited before it was ready:\n${stderr}`);
    if (Date.now() > deadline) throw new Error(`the API was not ready within 60 s:\n${stderr}`);
    const ok = await fetch(`${url}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    child,
    exited,
    logs: () => lines,
    waitForLog: async (matches) => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const found = lines.find(matches);
        if (found) return found;
        if (Date.now() > deadline) throw new Error("no such log line within 10 s");
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}
