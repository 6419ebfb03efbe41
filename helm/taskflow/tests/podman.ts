// podman on TaskFlow's image store (scripts/images/env.sh: the store, runc, the ulimits this machine allows), for
// the tests that run the real images: a command runner, and the network and pods they run in.
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "./helm.ts";

/** The variables scripts/images/env.sh exports, read once by sourcing it (it also writes the store's settings). */
function imageStoreEnv(): NodeJS.ProcessEnv {
  const script = `source ${JSON.stringify(join(repoRoot, "scripts/images/env.sh"))} && env -0`;
  const result = spawnSync("bash", ["-c", script], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`scripts/images/env.sh failed: ${result.stderr}`);
  const env: NodeJS.ProcessEnv = {};
  for (const entry of result.stdout.split("\0")) {
    const at = entry.indexOf("=");
    if (at > 0) env[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return env;
}

let storeEnv: NodeJS.ProcessEnv | undefined;
export function podmanEnv(): NodeJS.ProcessEnv {
  storeEnv ??= imageStoreEnv();
  return storeEnv;
}

export interface CommandResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs a command (by default podman) to its end, without blocking the event loop, so several can run at once. */
export function runAsync(
  args: string[],
  options: { timeoutMs?: number; command?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.command ?? "podman", args, { env: options.env ?? podmanEnv() });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = options.timeoutMs
      ? setTimeout(() => {
          stderr += `\n(killed after ${options.timeoutMs} ms)`;
          child.kill("SIGKILL");
        }, options.timeoutMs)
      : undefined;
    child.on("error", reject);
    child.on("close", (code) => {
      if (timer) clearTimeout(timer);
      resolve({ status: code ?? -1, stdout, stderr });
    });
  });
}

/** podman, throwing with its output when it fails. */
export async function podman(args: string[], timeoutMs = 120_000): Promise<string> {
  const result = await runAsync(args, { timeoutMs });
  if (result.status !== 0) {
    throw new Error(`podman ${args.join(" ")} failed (${result.status}):\n${result.stderr}${result.stdout}`);
  }
  return result.stdout.trim();
}

/** Why the real images cannot be run here, or "" when they can (root, podman, debootstrap and go installed). */
export function missingPrerequisites(): string {
  if (process.getuid?.() !== 0) return "the image tests run podman and debootstrap as root";
  for (const tool of ["podman", "buildah", "debootstrap", "go"]) {
    if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0) {
      return `${tool} is not installed (scripts/cluster/install-host-packages.sh installs podman, buildah, debootstrap)`;
    }
  }
  return "";
}

/** A podman network of its own (a free /24 under 10.89.0.0/16), so every pod's address is known before it starts. */
export async function createNetwork(
  name: string,
): Promise<{ name: string; address: (host: number) => string }> {
  const taken = new Set(
    (await podman(["network", "ls", "--format", "{{range .Subnets}}{{.Subnet}} {{end}}"])).split(/\s+/),
  );
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const third = 1 + Math.floor(Math.random() * 250);
    const subnet = `10.89.${third}.0/24`;
    if (taken.has(subnet)) continue;
    const result = await runAsync(["network", "create", "--subnet", subnet, name]);
    if (result.status === 0) return { name, address: (host) => `10.89.${third}.${host}` };
  }
  throw new Error(`no free subnet under 10.89.0.0/16 for podman network ${name}`);
}

/** Removes pods (and their containers) and networks, ignoring what is already gone. */
export async function removeAll(pods: string[], networks: string[]): Promise<void> {
  if (pods.length > 0) await runAsync(["pod", "rm", "--force", "--time", "0", ...pods]);
  if (networks.length > 0) await runAsync(["network", "rm", "--force", ...networks]);
}

export interface ContainerState {
  running: boolean;
  exitCode: number;
  restarts: number;
}

export async function containerState(name: string): Promise<ContainerState> {
  const [running, exitCode, restarts] = (
    await podman(["inspect", "--format", "{{.State.Running}} {{.State.ExitCode}} {{.RestartCount}}", name])
  ).split(" ");
  return { running: running === "true", exitCode: Number(exitCode), restarts: Number(restarts) };
}

export async function logsOf(name: string, lines = 40): Promise<string> {
  const result = await runAsync(["logs", "--tail", String(lines), name]);
  return `${result.stdout}${result.stderr}`.trim();
}

/** What a container changed in its own root filesystem (podman diff): paths added, changed or deleted. */
export async function changedPaths(name: string): Promise<string[]> {
  const output = await podman(["diff", "--format", "json", name]);
  const changes = JSON.parse(output || "{}") as { added?: string[]; changed?: string[]; deleted?: string[] };
  return [
    ...(changes.added ?? []).map((p) => `added ${p}`),
    ...(changes.changed ?? []).map((p) => `changed ${p}`),
    ...(changes.deleted ?? []).map((p) => `deleted ${p}`),
  ];
}
