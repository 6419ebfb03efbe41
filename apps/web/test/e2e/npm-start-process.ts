// `npm start` as a child process, as a person runs it (scripts/start.ts with node, in its own process group so a
// failed run can take the dashboard's `next start` down with it), for the end-to-end test and the start bench.
import { type ChildProcess, spawn } from "node:child_process";

export interface Launched {
  child: ChildProcess;
  output(): string;
  /** Milliseconds from the spawn until `text` was first printed, if it was. */
  printedAt(text: string): number | undefined;
  waitFor(text: string, timeoutMs: number): Promise<void>;
  exited: Promise<number | null>;
}

export function launchNpmStart(root: string, dataDir: string): Launched {
  const spawnedAt = performance.now();
  const child: ChildProcess = spawn(process.execPath, ["scripts/start.ts"], {
    cwd: root,
    detached: true,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      NODE_ENV: "development",
      TASKFLOW_DATA_DIR: dataDir,
    },
  });
  let output = "";
  // When the output reached each length: when a text was printed is when its last character arrived.
  const arrivals: { at: number; length: number }[] = [];
  const take = (data: Buffer) => {
    output += data;
    arrivals.push({ at: performance.now() - spawnedAt, length: output.length });
  };
  child.stdout?.on("data", take);
  child.stderr?.on("data", take);
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code: number | null) => resolve(code)),
  );
  return {
    child,
    output: () => output,
    exited,
    printedAt(text) {
      const start = output.indexOf(text);
      if (start < 0) return undefined;
      return arrivals.find((arrival) => arrival.length >= start + text.length)?.at;
    },
    async waitFor(text, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!output.includes(text)) {
        if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${output}`);
        if (Date.now() > deadline) throw new Error(`npm start did not print "${text}" in time:\n${output}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
  };
}

export async function stopWithCtrlC(run: Launched): Promise<number | null> {
  run.child.kill("SIGINT");
  return run.exited;
}

/** Kills what is left of a run (its process group), if anything. */
export async function killIfRunning(run: Launched | undefined): Promise<void> {
  if (run?.child.pid && run.child.exitCode === null) {
    process.kill(-run.child.pid, "SIGKILL");
    await run.exited;
  }
}
