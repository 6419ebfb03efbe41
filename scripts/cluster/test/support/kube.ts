// kubectl and helm as a person runs them against the cluster (scripts/cluster/run.sh puts this process in the
// cluster's network, with KUBECONFIG and PATH set), and the waiting the tests need around them.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const chartDir = fileURLToPath(new URL("../../../../helm/taskflow", import.meta.url));

export interface CommandResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs a command to its end; never throws for a non-zero exit (the caller decides). */
export function run(command: string, args: string[], options: { input?: string; timeoutMs?: number } = {}) {
  return new Promise<CommandResult>((resolve) => {
    const child = execFile(
      command,
      args,
      { maxBuffer: 64 * 1024 * 1024, timeout: options.timeoutMs ?? 600_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ stdout, stderr, code });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Runs a command that must succeed; its output on failure is the error's message. */
export async function must(
  command: string,
  args: string[],
  options: { input?: string; timeoutMs?: number } = {},
) {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited ${result.code}:\n${result.stderr || result.stdout}`);
  }
  return result.stdout;
}

export const kubectl = (args: string[], options?: { input?: string; timeoutMs?: number }) =>
  must("kubectl", args, options);
export const helm = (args: string[], options?: { timeoutMs?: number }) => must("helm", args, options);

export async function kubectlJson<T>(args: string[]): Promise<T> {
  return JSON.parse(await kubectl([...args, "-o", "json"])) as T;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns something other than undefined/false, or fails naming `what`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  { timeoutMs = 300_000, everyMs = 1_000 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: not within ${timeoutMs / 1000} s${lastError ? ` (last error: ${lastError})` : ""}`,
      );
    }
    await sleep(everyMs);
  }
}

export interface PodSummary {
  name: string;
  ip: string;
  phase: string;
  ready: boolean;
  deleting: boolean;
  labels: Record<string, string>;
  image: string;
  restarts: number;
}

interface PodList {
  items: {
    metadata: { name: string; labels?: Record<string, string>; deletionTimestamp?: string };
    spec: { containers: { image: string }[] };
    status: {
      phase: string;
      podIP?: string;
      conditions?: { type: string; status: string }[];
      containerStatuses?: { restartCount: number }[];
    };
  }[];
}

export async function pods(namespace: string, selector?: string): Promise<PodSummary[]> {
  const list = await kubectlJson<PodList>([
    "get",
    "pods",
    "-n",
    namespace,
    ...(selector ? ["-l", selector] : []),
  ]);
  return list.items.map((p) => ({
    name: p.metadata.name,
    ip: p.status.podIP ?? "",
    phase: p.status.phase,
    ready: p.status.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false,
    deleting: Boolean(p.metadata.deletionTimestamp),
    labels: p.metadata.labels ?? {},
    image: p.spec.containers[0]?.image ?? "",
    restarts: (p.status.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0),
  }));
}

/** The pods of one of the chart's components (sso, api, web, mcp, api-postgres, …) that are not being deleted. */
export async function componentPods(namespace: string, component: string): Promise<PodSummary[]> {
  const all = await pods(namespace, `app.kubernetes.io/component=${component}`);
  return all.filter((p) => !p.deleting);
}

/** A Secret's value, decoded. */
export async function secretValue(namespace: string, secret: string, key: string): Promise<string> {
  const encoded = await kubectl(["get", "secret", secret, "-n", namespace, "-o", `jsonpath={.data.${key}}`]);
  return Buffer.from(encoded, "base64").toString("utf8");
}

/** A namespace that enforces the PodSecurity `restricted` standard, made anew (any earlier one is deleted). */
export async function restrictedNamespace(name: string): Promise<void> {
  await deleteNamespace(name);
  await kubectl(["create", "namespace", name]);
  await kubectl([
    "label",
    "namespace",
    name,
    "pod-security.kubernetes.io/enforce=restricted",
    "pod-security.kubernetes.io/enforce-version=latest",
  ]);
}

/** Uninstalls every release in the namespace and deletes it, waiting until it is gone. */
export async function deleteNamespace(name: string): Promise<void> {
  const exists = await run("kubectl", ["get", "namespace", name]);
  if (exists.code !== 0) return;
  const releases = (await helm(["list", "-n", name, "-q"])).split("\n").filter(Boolean);
  for (const release of releases) await helm(["uninstall", release, "-n", name, "--wait", "--timeout", "5m"]);
  await kubectl(["delete", "namespace", name, "--wait=true", "--timeout=5m"]);
}

export interface PortForward {
  localPort: number;
  close(): Promise<void>;
}

/**
 * `kubectl port-forward TARGET LOCAL:REMOTE -n NS`, as the chart's NOTES tell a person to, on 127.0.0.1 of
 * the cluster's network. Resolves once kubectl says it forwards.
 */
export async function portForward(
  namespace: string,
  target: string,
  localPort: number,
  remotePort: number,
): Promise<PortForward> {
  const child: ChildProcess = spawn(
    "kubectl",
    ["port-forward", target, `${localPort}:${remotePort}`, "-n", namespace],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`port-forward ${target}: no answer in 60 s:\n${output}`)),
      60_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Forwarding from")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`port-forward ${target} exited ${code}:\n${output}`));
    });
  });
  return {
    localPort,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
