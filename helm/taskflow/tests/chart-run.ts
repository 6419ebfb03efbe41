// The rendered chart run with podman, as a cluster would run it: every Deployment and StatefulSet a pod of its own
// on a private network with its own address, the Services' names resolving to the pod each selects, the databases
// first, then each service's init containers and its containers (chart-pods.ts says how each container is run).
// Then it checks what the chart promises: every probe answers (httpGet 200, exec exit 0), the SSO's one write on
// demand (a mail) is accepted, the helm test pods pass, and afterwards no container crashed or restarted, none
// logged an error, none wrote outside its volumes (podman diff), and its volumes hold only the files expected there
// and no secret.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import {
  localImage,
  makeVolumes,
  mountPoints,
  podmanRunArgs,
  type RenderedContainer,
  type RenderedPod,
  renderedPods,
  writesOutsideMounts,
} from "./chart-pods.ts";
import { resolveEnv, secretNames, services } from "./contract.ts";
import type { K8sObject } from "./helm.ts";
import { changedPaths, containerState, logsOf, podman, removeAll, runAsync } from "./podman.ts";

/** Where the pods run: a podman network with addresses handed out by the caller, and a folder for the volumes. */
export interface Place {
  network: string;
  nextAddress: () => string;
  volumesDir: string;
  /** The image each chart image reference runs as (image IDs: a build elsewhere may move a tag meanwhile). */
  image: (reference: string) => string;
}

interface Started {
  pod: RenderedPod;
  podName: string;
  address: string;
  volumes: Map<string, string>;
  containers: { spec: RenderedContainer; name: string; init: boolean }[];
}

interface ServicePort {
  port: number;
  targetPort?: number | string;
}

function containerPort(container: RenderedContainer, port: string | number): number | undefined {
  if (typeof port === "number") return port;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

/** An httpGet probe's answer, asked as the kubelet asks it (GET http://<pod address>:<port><path>); 0 = none. */
async function httpStatus(url: string): Promise<number> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3_000), redirect: "manual" });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/** Waits until each probe of a container passes, startup first; fails at once when the container stops. */
async function waitForProbes(started: Started, container: { spec: RenderedContainer; name: string }) {
  const probes = [
    ["startup", container.spec.startupProbe],
    ["readiness", container.spec.readinessProbe],
    ["liveness", container.spec.livenessProbe],
  ] as const;
  const passed: string[] = [];
  for (const [kind, probe] of probes) {
    if (!probe) continue;
    // generous: this is not a timing test, and a stopped container fails at once anyway
    const deadline = Date.now() + 300_000;
    let last = "";
    for (;;) {
      if (probe.httpGet) {
        const port = containerPort(container.spec, probe.httpGet.port);
        const status = await httpStatus(`http://${started.address}:${port}${probe.httpGet.path}`);
        last = `GET ${probe.httpGet.path} ${status}`;
        if (status === 200) break;
      } else if (probe.exec) {
        const result = await runAsync(["exec", container.name, ...probe.exec.command], { timeoutMs: 10_000 });
        last = `exec ${probe.exec.command.at(-1)?.split(" ")[0]} exit ${result.status}`;
        if (result.status === 0) break;
      }
      const state = await containerState(container.name);
      if (!state.running || Date.now() > deadline) {
        throw new Error(
          `${container.name}: the ${kind} probe never passed (last: ${last}); ` +
            `${state.running ? "still running" : `exited with ${state.exitCode}`}:\n${await logsOf(container.name)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    passed.push(`${kind} ${last}`);
  }
  return passed.join(", ");
}

/** `--add-host` for each Service name (short, namespaced, svc, cluster.local) to the address of the pod it selects. */
function serviceHosts(
  objects: K8sObject[],
  workloads: RenderedPod[],
  address: Map<string, string>,
): string[] {
  const hosts: string[] = [];
  for (const service of objects.filter((o) => o.kind === "Service")) {
    const spec = (service as unknown as { spec: { selector: Record<string, string>; ports: ServicePort[] } })
      .spec;
    const selected = workloads.filter((pod) =>
      Object.entries(spec.selector).every(([key, value]) => pod.labels[key] === value),
    );
    expect(
      selected.map((pod) => pod.id),
      `Service ${service.metadata.name} selects one workload`,
    ).toHaveLength(1);
    const target = selected[0] as RenderedPod;
    // the pod's address stands for the Service's, so each Service port must be its container's port
    for (const port of spec.ports) {
      const ports = target.containers.map((c) => containerPort(c, port.targetPort ?? port.port));
      expect(ports, `Service ${service.metadata.name} port ${port.port}`).toContain(port.port);
    }
    const name = service.metadata.name;
    const ns = service.metadata.namespace ?? "taskflow";
    for (const host of [name, `${name}.${ns}`, `${name}.${ns}.svc`, `${name}.${ns}.svc.cluster.local`]) {
      hosts.push("--add-host", `${host}:${address.get(target.id)}`);
    }
  }
  return hosts;
}

/**
 * The SSO's one write on demand: a mail (a password reset for the seeded admin). Without SMTP it goes to the dev
 * mailbox, which must then hold it, in a volume; with SMTP (the prod values name a server that does not exist
 * here) nothing is sent.
 */
async function sendMail(all: Started[], objects: K8sObject[]): Promise<string> {
  const sso = all.find((started) => started.pod.name === services.sso.deployment);
  const container = sso?.pod.containers[0];
  if (!sso || !container) throw new Error("no SSO pod");
  const { env } = resolveEnv(container, objects);
  if (!env.ADMIN_EMAIL) return "sso: no ADMIN_EMAIL, so no mail";
  if (env.SMTP_HOST) return `sso: mail goes to SMTP ${env.SMTP_HOST}, not reachable here: not sent`;
  const response = await fetch(`http://${sso.address}:${containerPort(container, "http")}/forgot-password`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: env.BETTER_AUTH_URL ?? "" },
    body: new URLSearchParams({ email: env.ADMIN_EMAIL }).toString(),
  });
  expect(response.status, `POST /forgot-password: ${await response.text()}`).toBe(200);
  const deadline = Date.now() + 15_000;
  let delivered: string | undefined;
  while (!delivered && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    delivered = [...sso.volumes.values()]
      .flatMap((folder) => filesUnder(folder))
      .find((file) => readFileSync(file, "utf8").includes(env.ADMIN_EMAIL as string));
  }
  expect(delivered, `the reset mail to ${env.ADMIN_EMAIL} in one of the SSO's volumes`).toBeDefined();
  return `sso: reset mail for ${env.ADMIN_EMAIL} in its dev mailbox (${delivered?.slice(sso.volumes.get("tmp")?.length ?? 0)} in /tmp)`;
}

function filesUnder(folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...filesUnder(path));
    else if (entry.isFile() && statSync(path).size < 4_000_000) files.push(path);
  }
  return files;
}

/**
 * What the chart's containers may leave in their emptyDirs, by path in the container: npm's log of the migrate
 * command and the compile cache npm turns on for itself, the SSO's dev mailbox, Next.js' cache, PostgreSQL's socket
 * lock and pid file. Anything else (say a secrets file) is a write nobody accounted for.
 */
const expectedFiles = [
  /^\/tmp\/\.npm\/_logs\/[^/]+\.log$/,
  /^\/tmp\/node-compile-cache\//,
  /^\/tmp\/taskflow\/sso-mailbox\/[^/]+\.json$/,
  /^\/app\/apps\/web\/\.next\/cache\//,
  /^\/var\/run\/postgresql\/[^/]+$/,
];

/** Lines of a TaskFlow service's log at level error or fatal, and any permission or read-only file system error. */
function errorLines(log: string): string[] {
  return log.split("\n").filter((line) => {
    if (/\b(EROFS|EACCES|EPERM)\b/.test(line)) return true;
    try {
      const level = (JSON.parse(line) as { level?: unknown }).level;
      return level === "error" || level === "fatal" || (typeof level === "number" && level >= 50);
    } catch {
      return false;
    }
  });
}

/**
 * Runs the rendered chart; returns what it saw, one line each; throws at the first thing that is not as the
 * chart promises. Removes its pods at the end, whatever happened.
 */
export async function runChart(
  label: string,
  objects: K8sObject[],
  place: Place,
  readOnlyRoot: boolean,
): Promise<string[]> {
  const pods = renderedPods(objects);
  const workloads = pods.filter((pod) => !pod.helmTest);
  const address = new Map(workloads.map((pod) => [pod.id, place.nextAddress()]));
  const hosts = serviceHosts(objects, workloads, address);
  const prefix = `tfimg-${process.pid}-${label}`;
  const short = (name: string) => name.slice(prefix.length + 1);
  const podNames: string[] = [];

  const start = async (pod: RenderedPod, ip: string): Promise<Started> => {
    const podName = `${prefix}-${pod.name}`;
    podNames.push(podName);
    await podman(
      ["pod", "create", "--name", podName, "--hostname", pod.name, "--network", place.network].concat(
        ["--ip", ip],
        hosts,
      ),
    );
    const volumes = makeVolumes(pod, join(place.volumesDir, podName));
    const started: Started = { pod, podName, address: ip, volumes, containers: [] };
    for (const [init, specs] of [
      [true, pod.initContainers],
      [false, pod.containers],
    ] as const) {
      for (const spec of specs) {
        const name = `${podName}-${spec.name}`;
        started.containers.push({ spec, name, init });
        const args = podmanRunArgs(pod, spec, {
          podName,
          containerName: name,
          objects,
          volumes,
          readOnlyRoot,
          image: place.image,
        });
        // init containers and helm test pods run to their end, one after another; the others stay up
        if (init || pod.helmTest) {
          const result = await runAsync(["run", ...args], { timeoutMs: 240_000 });
          expect(result.status, `${pod.id} ${spec.name}:\n${result.stdout}${result.stderr}`).toBe(0);
        } else {
          await podman(["run", "--detach", ...args]);
        }
      }
    }
    return started;
  };

  const report: string[] = [];
  const all: Started[] = [];
  try {
    const began = Date.now();
    // The databases first, as their Services must answer the services' wait-for-db; then the services side by side.
    const databases = workloads.filter((pod) => pod.kind === "StatefulSet");
    all.push(...(await Promise.all(databases.map((pod) => start(pod, address.get(pod.id) as string)))));
    const rest = workloads.filter((pod) => pod.kind !== "StatefulSet");
    all.push(...(await Promise.all(rest.map((pod) => start(pod, address.get(pod.id) as string)))));
    const probed = await Promise.all(
      all.flatMap((started) =>
        started.containers
          .filter((c) => !c.init)
          .map(async (c) => `${short(c.name)}: ${await waitForProbes(started, c)}`),
      ),
    );
    report.push(
      ...probed,
      `every probe passed ${Math.round((Date.now() - began) / 1000)}s after the first pod`,
    );
    report.push(await sendMail(all, objects));
    for (const pod of pods.filter((p) => p.helmTest)) {
      all.push(await start(pod, place.nextAddress()));
      report.push(`helm test ${pod.name}: passed`);
    }

    const problems: string[] = [];
    for (const started of all) {
      const secrets = started.containers.flatMap((c) => {
        const { env } = resolveEnv(c.spec, objects);
        return secretNames
          .map((name) => env[name])
          .filter((value): value is string => (value?.length ?? 0) >= 8);
      });
      for (const c of started.containers) {
        const state = await containerState(c.name);
        const stays = !c.init && !started.pod.helmTest;
        if (stays && (!state.running || state.restarts > 0)) {
          problems.push(
            `${short(c.name)} stopped (exit ${state.exitCode}, restarts ${state.restarts}):\n${await logsOf(c.name)}`,
          );
        }
        if (localImage(c.spec.image).startsWith("docker.io/taskflow/")) {
          for (const line of errorLines(await logsOf(c.name, 100_000)))
            problems.push(`${short(c.name)} logged: ${line}`);
        }
        for (const write of writesOutsideMounts(await changedPaths(c.name), mountPoints(c.spec))) {
          problems.push(`${short(c.name)} (${localImage(c.spec.image)}) wrote outside its volumes: ${write}`);
        }
      }
      // emptyDirs only: a database's own volume holds its data
      for (const volume of started.pod.volumes) {
        const folder = started.volumes.get(volume.name) as string;
        const mountPath = started.containers
          .flatMap((c) => c.spec.volumeMounts ?? [])
          .find((mount) => mount.name === volume.name)?.mountPath;
        for (const file of filesUnder(folder)) {
          const path = `${mountPath}${file.slice(folder.length)}`;
          if (!expectedFiles.some((expected) => expected.test(path))) {
            problems.push(`${started.pod.id}: unexpected file ${path} in volume ${volume.name}`);
          }
          const content = readFileSync(file, "latin1");
          if (secrets.some((secret) => content.includes(secret))) {
            problems.push(`${started.pod.id}: a secret of its environment is in ${path}`);
          }
        }
      }
    }
    expect(problems, "what the chart's pods did that they should not").toEqual([]);
    return report;
  } finally {
    await removeAll(podNames, []);
  }
}
