import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";

/** A loopback port nothing listens on right now. */
export const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });

export interface ServiceProcess {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  port: number;
  child: ChildProcess;
  /** The exit code, once the process ended. */
  exited: Promise<number | null>;
  /** Every JSON log line the process wrote to stdout so far (a line that is not JSON as `{ msg }`). */
  logs(): Record<string, unknown>[];
  /** The first log line that matches, once it has come through the pipe (rejects after 10 s). */
  waitForLog(matches: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  stderr(): string;
  /** SIGTERM, then wait for the exit code. */
  stop(): Promise<number | null>;
}

export interface ServiceProcessOptions {
  /** What the errors call it, e.g. "the API". */
  name: string;
  /** What the chart runs (`src/server.ts`, or the API's bundle `dist/server.mjs`): `node <entry>`. */
  entry: string;
  /** Its whole environment besides PATH, NODE_ENV, PORT and HOST (which it may override); given the port. */
  env: (port: number) => Record<string, string>;
  /** Ready once this path answers 2xx. */
  readyPath: string;
  readyWithinMs: number;
}

/**
 * A service as its own process, configured only by its environment, on a free loopback port;
 * resolves once `readyPath` answers 2xx, rejects with its stderr if it exits or is not ready in time.
 */
export async function startServiceProcess(options: ServiceProcessOptions): Promise<ServiceProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [options.entry], {
    env: {
      PATH: process.env.PATH ?? "",
      // What the service assumes when unset; said here so the type holds where Next.js narrows it.
      NODE_ENV: "development",
      PORT: String(port),
      HOST: "127.0.0.1",
      ...options.env(port),
    },
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
  const deadline = Date.now() + options.readyWithinMs;
  for (;;) {
    if (gone) throw new Error(`${options.name} exited before it was ready:\n${stderr}`);
    if (Date.now() > deadline) {
      throw new Error(`${options.name} was not ready within ${options.readyWithinMs / 1000} s:\n${stderr}`);
    }
    const ok = await fetch(`${url}${options.readyPath}`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    port,
    child,
    exited,
    logs: () => lines,
    waitForLog: async (matches) => {
      const until = Date.now() + 10_000;
      for (;;) {
        const found = lines.find(matches);
        if (found) return found;
        if (Date.now() > until) throw new Error("no such log line within 10 s");
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
