// The four images, for real: built by scripts/images (podman, from Debian and the npm registry; layers cached, so a
// run after an unchanged build takes seconds), then run the way the chart runs them — every Deployment and
// StatefulSet of the rendered chart as a podman pod of its own on a private network, its Services' names resolving
// to it, each container as podmanRunArgs (chart-pods.ts) translates its spec: the image, command, environment
// resolved from the rendered ConfigMaps and Secrets, UID/GID 10001 and fsGroup, read-only root with nothing
// writable but its volumes, all capabilities dropped, no-new-privileges, memory and CPU limits. Init containers run
// first (wait-for-db, run-migrations); then every probe must answer 200 (exec probes exit 0), the chart's helm test
// pods must pass, no container may have crashed, and `podman diff` may show nothing outside the volumes. With the
// default values, the dev values and the prod values (each renders a different environment); and once more with
// the default values and a writable root, where `podman diff` shows what a service would have written (with a
// read-only root such a write fails, loudly or, if the service swallows the error, silently).
// The Dockerfiles' structure is checked without a container engine first.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LockPackage, productionClosure } from "../../../scripts/images/deploy-workspace.ts";
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
import { resolveEnv, type ServiceKey, services } from "./contract.ts";
import { cmd, instructions, readDockerfile, runCommands } from "./dockerfile.ts";
import { type K8sObject, parseObjects, repoRoot, template, valueSets } from "./helm.ts";
import {
  changedPaths,
  containerState,
  createNetwork,
  logsOf,
  missingPrerequisites,
  podman,
  podmanEnv,
  removeAll,
  runAsync,
} from "./podman.ts";

const keys: ServiceKey[] = ["sso", "api", "mcp", "web"];
const dockerfile = (svc: ServiceKey) => join(repoRoot, services[svc].workspace, "Dockerfile");

describe("Dockerfiles", () => {
  it.each(keys)("%s: node slim pinned, four stages, non-root runtime without RUN or HEALTHCHECK", (svc) => {
    const s = services[svc];
    const stages = readDockerfile(dockerfile(svc));
    expect([...stages.keys()]).toEqual(["manifests", "deps", "build", "runtime"]);
    const text = readFileSync(dockerfile(svc), "utf8");
    expect(text).toMatch(/^ARG NODE_IMAGE=node:24\.\d+\.\d+-slim$/m);
    expect(text).not.toMatch(/^HEALTHCHECK/m);
    expect(instructions(stages, "runtime", "USER")).toEqual(["node"]);
    expect(runCommands(stages, "runtime")).toEqual([]);
    expect(instructions(stages, "runtime", "EXPOSE")).toEqual([String(s.port)]);
    if (svc === "web") {
      expect(instructions(stages, "runtime", "COPY")).toEqual([
        "--from=build /app/apps/web/.next/standalone ./",
      ]);
      expect(cmd(stages, "runtime")).toEqual(["node", "apps/web/server.js"]);
    } else {
      expect(instructions(stages, "runtime", "COPY")).toEqual(["--from=build /deploy ./"]);
      expect(runCommands(stages, "build")).toEqual([
        `node scripts/images/deploy-workspace.ts ${s.workspace} /deploy`,
      ]);
      expect(cmd(stages, "runtime")).toEqual([
        "node",
        "--require",
        "@taskflow/service-env/node-version",
        `${s.workspace}/src/server.ts`,
      ]);
    }
  });

  it("share their manifests and dependency stages word for word, so one npm ci serves the four images", () => {
    const shared = (svc: ServiceKey) => {
      const stages = readDockerfile(dockerfile(svc));
      return [stages.get("manifests"), stages.get("deps")];
    };
    for (const svc of keys) expect(shared(svc), svc).toEqual(shared("api"));
    expect(runCommands(readDockerfile(dockerfile("api")), "deps")).toEqual(["npm ci --no-audit --no-fund"]);
  });

  it.each(["sso", "api", "mcp"] as ServiceKey[])(
    "%s: what its image carries from node_modules is its production closure: no dev tool, no optional peer",
    (svc) => {
      const lock = JSON.parse(readFileSync(join(repoRoot, "package-lock.json"), "utf8")) as {
        packages: Record<string, LockPackage>;
      };
      const closure = productionClosure(lock.packages, services[svc].workspace);
      const names = closure.map((location) => location.slice(location.lastIndexOf("node_modules/") + 13));
      // better-auth lists these as optional peers; apps/web (next, react) and the root (vitest, drizzle-kit,
      // typescript) depend on them, which is how `npm ci --omit=dev -w apps/sso` put them into the SSO's image
      for (const unwanted of [
        "next",
        "@next/env",
        "react",
        "react-dom",
        "vitest",
        "drizzle-kit",
        "typescript",
      ]) {
        expect(names, unwanted).not.toContain(unwanted);
      }
      expect(closure.filter((location) => lock.packages[location]?.dev)).toEqual([]);
      expect(closure).toContain(services[svc].workspace);
      expect(names).toContain("@taskflow/service-env");
      if (svc === "sso") expect(names).toEqual(expect.arrayContaining(["better-auth", "pg", "nodemailer"]));
    },
  );
});

// ------------------------------------------------------------------------------------------------------------------
// The real images

const imageStore = { network: "", address: (host: number) => `10.89.0.${host}` };
let nextHost = 10;
const work = mkdtempSync(join(tmpdir(), "taskflow-images-"));
const networks: string[] = [];
const prerequisites = missingPrerequisites();
let buildOutput = "";

/** The build scripts' output (phase times, sizes), shown in the test output. */
async function build(script: string, args: string[] = []): Promise<void> {
  const started = Date.now();
  const result = await runAsync([join(repoRoot, "scripts/images", script), ...args], {
    command: "bash",
    env: { ...process.env, ...podmanEnv() },
  });
  buildOutput += `${result.stdout}${result.stderr}`;
  process.stdout.write(
    `${result.stdout}[images] ${script} took ${Math.round((Date.now() - started) / 1000)}s\n`,
  );
  if (result.status !== 0)
    throw new Error(`scripts/images/${script} failed:\n${result.stdout}\n${result.stderr}`);
}

beforeAll(async () => {
  if (prerequisites) return;
  await build("build-base.sh");
  await build("build-apps.sh");
  const network = await createNetwork(`taskflow-images-${process.pid}`);
  networks.push(network.name);
  imageStore.network = network.name;
  imageStore.address = network.address;
}, 3_600_000);

afterAll(async () => {
  await removeAll([], networks);
  rmSync(work, { recursive: true, force: true });
}, 120_000);

function requirePrerequisites(): void {
  if (prerequisites) throw new Error(`cannot run the images here: ${prerequisites}`);
}

interface Started {
  pod: RenderedPod;
  podName: string;
  address: string;
  containers: { spec: RenderedContainer; name: string; init: boolean }[];
}

/** An httpGet probe's answer, as the kubelet asks it (GET http://<pod address>:<port><path>); 0 = no answer. */
async function httpStatus(url: string): Promise<number> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3_000), redirect: "manual" });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

function containerPort(container: RenderedContainer, port: string | number): number {
  if (typeof port === "number") return port;
  const named = container.ports?.find((p) => p.name === port);
  if (!named) throw new Error(`container ${container.name} has no port named ${port}`);
  return named.containerPort;
}

/** Waits until every probe of the container passes (startup first); fails fast when the container stops. */
async function waitForProbes(started: Started, container: { spec: RenderedContainer; name: string }) {
  const probes = [
    ["startup", container.spec.startupProbe],
    ["readiness", container.spec.readinessProbe],
    ["liveness", container.spec.livenessProbe],
  ] as const;
  const results: string[] = [];
  for (const [kind, probe] of probes) {
    if (!probe) continue;
    const deadline = Date.now() + 180_000;
    let last = "";
    for (;;) {
      if (probe.httpGet) {
        const url = `http://${started.address}:${containerPort(container.spec, probe.httpGet.port)}${probe.httpGet.path}`;
        const status = await httpStatus(url);
        last = `GET ${probe.httpGet.path} -> ${status}`;
        if (status === 200) break;
      } else if (probe.exec) {
        const result = await runAsync(["exec", container.name, ...probe.exec.command], { timeoutMs: 10_000 });
        last = `exec ${probe.exec.command.join(" ")} -> exit ${result.status}`;
        if (result.status === 0) break;
      }
      const state = await containerState(container.name);
      if (!state.running || Date.now() > deadline) {
        throw new Error(
          `${container.name}: ${kind} probe never passed (last: ${last}); ` +
            `${state.running ? "still running" : `exited with ${state.exitCode}`}:\n${await logsOf(container.name)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    results.push(`${kind} ${last}`);
  }
  return results;
}

/**
 * Runs the rendered chart with podman: the pods, their init containers, their probes, the helm test pods.
 * Returns what it saw; throws on the first thing that is not as the chart expects.
 */
async function runChart(label: string, objects: K8sObject[], readOnlyRoot: boolean) {
  const pods = renderedPods(objects);
  const workloads = pods.filter((pod) => !pod.helmTest);
  const address = new Map(workloads.map((pod) => [pod.id, imageStore.address(nextHost++)]));
  const podNames: string[] = [];
  const prefix = `tfimg-${process.pid}-${label}`;
  // The Services' names, as pods in the namespace resolve them, pointing at the one pod each selects.
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
    for (const port of spec.ports) {
      // the pod's address stands for the Service's: a Service port must be the container's port for that
      const targetPort = target.containers.map((c) => containerPortOrZero(c, port.targetPort ?? port.port));
      expect(targetPort, `Service ${service.metadata.name} port ${port.port}`).toContain(port.port);
    }
    const name = service.metadata.name;
    const ns = service.metadata.namespace ?? "taskflow";
    for (const host of [name, `${name}.${ns}`, `${name}.${ns}.svc`, `${name}.${ns}.svc.cluster.local`]) {
      hosts.push("--add-host", `${host}:${address.get(target.id)}`);
    }
  }

  const startPod = async (pod: RenderedPod, ip: string): Promise<Started> => {
    const podName = `${prefix}-${pod.name}`;
    podNames.push(podName);
    await podman(
      ["pod", "create", "--name", podName, "--hostname", pod.name, "--network", imageStore.network].concat(
        ["--ip", ip],
        hosts,
      ),
    );
    const volumes = makeVolumes(pod, join(work, podName));
    const started: Started = { pod, podName, address: ip, containers: [] };
    for (const spec of pod.initContainers) {
      const name = `${podName}-${spec.name}`;
      started.containers.push({ spec, name, init: true });
      const options = { podName, containerName: name, objects, volumes, readOnlyRoot };
      const result = await runAsync(["run", ...podmanRunArgs(pod, spec, options)], { timeoutMs: 240_000 });
      if (result.status !== 0) {
        throw new Error(
          `${pod.id} init container ${spec.name} exited ${result.status}:\n${result.stdout}\n${result.stderr}`,
        );
      }
    }
    for (const spec of pod.containers) {
      const name = `${podName}-${spec.name}`;
      started.containers.push({ spec, name, init: false });
      const options = { podName, containerName: name, objects, volumes, readOnlyRoot };
      await podman(["run", "--detach", ...podmanRunArgs(pod, spec, options)]);
    }
    return started;
  };

  const report: string[] = [];
  const all: Started[] = [];
  try {
    const began = Date.now();
    // The databases first (the services' init containers wait for them, as in the cluster), then the services,
    // each with its init containers, side by side.
    const ordered = [
      workloads.filter((pod) => pod.kind === "StatefulSet"),
      workloads.filter((pod) => pod.kind !== "StatefulSet"),
    ];
    for (const group of ordered) {
      all.push(...(await Promise.all(group.map((pod) => startPod(pod, address.get(pod.id) as string)))));
    }
    const ready = await Promise.all(
      all.flatMap((started) =>
        started.containers
          .filter((c) => !c.init)
          .map(
            async (c) =>
              `${c.name.slice(prefix.length + 1)}: ${(await waitForProbes(started, c)).join(", ")}`,
          ),
      ),
    );
    report.push(
      ...ready,
      `all probes passed ${Math.round((Date.now() - began) / 1000)}s after the first pod`,
    );
    report.push(await sendMail(all, objects));

    // the chart's `helm test` pods, each in a pod of its own
    for (const pod of pods.filter((p) => p.helmTest)) {
      const podName = `${prefix}-${pod.name}`;
      podNames.push(podName);
      await podman(
        ["pod", "create", "--name", podName, "--hostname", pod.name, "--network", imageStore.network].concat(
          ["--ip", imageStore.address(nextHost++)],
          hosts,
        ),
      );
      const volumes = makeVolumes(pod, join(work, podName));
      const started: Started = { pod, podName, address: "", containers: [] };
      for (const spec of pod.containers) {
        const name = `${podName}-${spec.name}`;
        started.containers.push({ spec, name, init: false });
        const options = { podName, containerName: name, objects, volumes, readOnlyRoot };
        const result = await runAsync(["run", ...podmanRunArgs(pod, spec, options)], { timeoutMs: 120_000 });
        expect(result.status, `helm test ${pod.name}:\n${result.stdout}${result.stderr}`).toBe(0);
        expect(result.stdout).toContain("ok");
      }
      all.push(started);
      report.push(`helm test ${pod.name}: passed`);
    }

    // nothing crashed meanwhile, and nothing was written outside the volumes
    const outside: string[] = [];
    for (const started of all) {
      for (const c of started.containers) {
        const state = await containerState(c.name);
        const long = !c.init && !started.pod.helmTest;
        if (long) {
          expect(state.running, `${c.name} stopped (exit ${state.exitCode}):\n${await logsOf(c.name)}`).toBe(
            true,
          );
          expect(state.restarts, c.name).toBe(0);
        } else {
          expect(state.exitCode, c.name).toBe(0);
        }
        for (const write of writesOutsideMounts(await changedPaths(c.name), mountPoints(c.spec))) {
          outside.push(`${c.name.slice(prefix.length + 1)} (${localImage(c.spec.image)}): ${write}`);
        }
      }
    }
    expect(outside, "written outside /tmp and the volumes").toEqual([]);
    return report;
  } finally {
    await removeAll(podNames, []);
  }
}

/**
 * The SSO's one write on demand: a mail (a password reset for the seeded admin), which without SMTP goes to its dev
 * mailbox. It must be accepted, and (checked with the rest) written nowhere but the volumes.
 */
async function sendMail(all: Started[], objects: K8sObject[]): Promise<string> {
  const sso = all.find((started) => started.pod.name === services.sso.deployment);
  const container = sso?.pod.containers[0];
  if (!sso || !container) throw new Error("no SSO pod");
  const { env } = resolveEnv(container, objects);
  if (!env.ADMIN_EMAIL) return "sso: no ADMIN_EMAIL, no mail sent";
  const url = `http://${sso.address}:${containerPort(container, "http")}/forgot-password`;
  const origin = env.BETTER_AUTH_URL ?? "";
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin },
    body: new URLSearchParams({ email: env.ADMIN_EMAIL }).toString(),
  });
  expect(response.status, `POST /forgot-password: ${await response.text()}`).toBe(200);
  // the mail leaves after the answer: give it a moment before anything is inspected
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  return `sso: password reset for ${env.ADMIN_EMAIL} accepted (${env.SMTP_HOST ? `SMTP ${env.SMTP_HOST}` : "dev mailbox"})`;
}

interface ServicePort {
  port: number;
  targetPort?: number | string;
}

function containerPortOrZero(container: RenderedContainer, port: number | string): number {
  try {
    return containerPort(container, port);
  } catch {
    return 0;
  }
}

describe("images run as the chart runs them (podman, read-only root, UID 10001, no capabilities)", () => {
  it("are built, and each image's size is printed; the app images carry only what they run", async () => {
    requirePrerequisites();
    const sizes: string[] = [];
    const size = async (image: string) =>
      Number(await podman(["image", "inspect", "--format", "{{.Size}}", image]));
    const node = localImage(`node:${/node:(\S+)/.exec(readFileSync(dockerfile("api"), "utf8"))?.[1]}`);
    const nodeSize = await size(node);
    sizes.push(`${node.padEnd(48)} ${Math.round(nodeSize / 1e6)} MB (base)`);
    const appVersion = /^appVersion: *"?([^"\n]+)"?$/m.exec(
      readFileSync(join(repoRoot, "helm/taskflow/Chart.yaml"), "utf8"),
    )?.[1];
    for (const svc of keys) {
      const image = localImage(`${services[svc].image}:${appVersion}`);
      const bytes = await size(image);
      sizes.push(
        `${image.padEnd(48)} ${Math.round(bytes / 1e6)} MB (+${Math.round((bytes - nodeSize) / 1e6)} MB)`,
      );
      // what each service adds to Node: its code and production closure (the SSO once added 450 MB of Next.js)
      expect(bytes - nodeSize, `${image} adds to ${node}`).toBeLessThan(80e6);
    }
    process.stdout.write(`\nimage sizes\n${sizes.map((line) => `  ${line}`).join("\n")}\n`);
    const sso = localImage(`${services.sso.image}:${appVersion}`);
    const listing = await podman(["run", "--rm", "--network", "none", sso, "ls", "node_modules"]);
    expect(listing.split("\n")).not.toContain("next");
    expect(listing.split("\n")).not.toContain("@next");
    expect(buildOutput).toContain("total (build-apps.sh)");
  }, 120_000);

  it.each(["default", "dev", "prod"])(
    "%s values: every pod starts, every probe answers, helm test passes, nothing is written outside the volumes",
    async (set) => {
      requirePrerequisites();
      const report = await runChart(set, parseObjects(template(valueSets[set] ?? [])), true);
      process.stdout.write(
        `\n${set} values, read-only root\n${report.map((line) => `  ${line}`).join("\n")}\n`,
      );
    },
    900_000,
  );

  it("default values with a writable root: podman diff shows nothing written outside /tmp and the volumes", async () => {
    requirePrerequisites();
    const report = await runChart("writable", parseObjects(template(valueSets.default ?? [])), false);
    process.stdout.write(
      `\ndefault values, writable root\n${report.map((line) => `  ${line}`).join("\n")}\n`,
    );
  }, 900_000);
});
