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

export interface McpProcess {
  /** `http://127.0.0.1:<port>`; the MCP endpoint is `${url}/mcp`. */
  url: string;
  port: number;
  child: ChildProcess;
  /** The exit code, once the process ended. */
  exited: Promise<number | null>;
  /** Every JSON log line the process wrote to stdout so far. */
  logs(): Record<string, unknown>[];
  stderr(): string;
  /** SIGTERM, then wait for the exit code. */
  stop(): Promise<number | null>;
}

/**
 * The MCP server as the chart runs it, `node src/server.ts` configured only by its environment,
 * on a free loopback port; resolves once `/health/ready` answers 200.
 */
export async function startMcpProcess(env: Record<string, string>): Promise<McpProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [serverEntry], {
    env: {
      PATH: process.env.PATH ?? "",
      PORT: String(port),
      HOST: "127.0.0.1",
      ALLOWED_HOSTS: `127.0.0.1:${port}`,
      ...env,
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
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (gone) throw new Error(`the MCP server exited before it was ready:\n${stderr}`);
    if (Date.now() > deadline) throw new Error(`the MCP server was not ready within 90 s:\n${stderr}`);
    const ok = await fetch(`${url}/health/ready`).then(
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
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}
