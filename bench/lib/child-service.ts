import { type ChildProcess, spawn } from "node:child_process";

/** Starts a service entry point as its own process and waits until `readyUrl` answers 200. */
export async function startChildService(
  entry: string,
  env: Record<string, string>,
  readyUrl: string,
  /** Extra node flags (e.g. --trace-gc), and who reads the child's stdout (ignored otherwise). */
  options: { nodeArgs?: string[]; onStdout?: (text: string) => void } = {},
): Promise<{ child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), entry], {
    env: { ...process.env, ...env },
    stdio: ["ignore", options.onStdout ? "pipe" : "ignore", "inherit"],
  });
  // A benchmark that fails half-way must not leave its services running.
  const killChild = () => child.kill("SIGKILL");
  process.once("exit", killChild);
  child.once("exit", () => process.off("exit", killChild));
  const onStdout = options.onStdout;
  if (onStdout) child.stdout?.on("data", (chunk: Buffer) => onStdout(chunk.toString()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${entry} exited with ${child.exitCode}`);
    try {
      if ((await fetch(readyUrl)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${entry} did not become ready at ${readyUrl}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
