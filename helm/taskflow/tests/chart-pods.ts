// A rendered pod (a Deployment's or StatefulSet's template, or a helm test Pod) turned into podman arguments that run
// each container the way the kubelet would: its image, command and args, the environment resolved from the rendered
// ConfigMaps and Secrets, its user and groups, read-only root, capabilities, no-new-privileges, memory and CPU
// limits, and its volumes (emptyDirs and claims as folders of the test, owned as fsGroup makes them).
// A securityContext setting this file does not know how to apply fails the test instead of being dropped.
import { chmodSync, chownSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Container, resolveEnv } from "./contract.ts";
import type { K8sObject } from "./helm.ts";

interface SecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  fsGroup?: number;
  fsGroupChangePolicy?: string;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  privileged?: boolean;
  capabilities?: { drop?: string[]; add?: string[] };
  seccompProfile?: { type: string };
}

export interface RenderedContainer extends Container {
  securityContext?: SecurityContext;
  workingDir?: string;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
  resources?: { limits?: { cpu?: string; memory?: string } };
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
}

export interface Probe {
  httpGet?: { path: string; port: string | number };
  exec?: { command: string[] };
}

export interface RenderedPod {
  /** `Deployment/sso-platform`, `StatefulSet/api-postgres`, `Pod/sso-platform-test` */
  id: string;
  kind: string;
  name: string;
  labels: Record<string, string>;
  securityContext: SecurityContext;
  initContainers: RenderedContainer[];
  containers: RenderedContainer[];
  volumes: { name: string; emptyDir?: object }[];
  /** The StatefulSet's volumeClaimTemplates (one claim each, as for a single replica). */
  claims: string[];
  helmTest: boolean;
}

/** The pods the rendered chart would run: one per Deployment and StatefulSet (one replica each), and the test Pods. */
export function renderedPods(objects: K8sObject[]): RenderedPod[] {
  const pods: RenderedPod[] = [];
  for (const object of objects) {
    if (!["Deployment", "StatefulSet", "Pod"].includes(object.kind)) continue;
    const body = object as unknown as {
      spec: {
        template?: { metadata: { labels?: Record<string, string> }; spec: PodSpecBody };
        volumeClaimTemplates?: { metadata: { name: string } }[];
      } & PodSpecBody;
    };
    const spec = object.kind === "Pod" ? body.spec : body.spec.template?.spec;
    if (!spec) throw new Error(`${object.kind}/${object.metadata.name} has no pod template`);
    pods.push({
      id: `${object.kind}/${object.metadata.name}`,
      kind: object.kind,
      name: object.metadata.name,
      labels: (object.kind === "Pod" ? object.metadata.labels : body.spec.template?.metadata.labels) ?? {},
      securityContext: spec.securityContext ?? {},
      initContainers: spec.initContainers ?? [],
      containers: spec.containers,
      volumes: spec.volumes ?? [],
      claims: (body.spec.volumeClaimTemplates ?? []).map((claim) => claim.metadata.name),
      helmTest: object.metadata.annotations?.["helm.sh/hook"] === "test",
    });
  }
  return pods;
}

interface PodSpecBody {
  securityContext?: SecurityContext;
  initContainers?: RenderedContainer[];
  containers: RenderedContainer[];
  volumes?: { name: string; emptyDir?: object }[];
}

/** The local name of a chart image reference, as containerd and podman expand short names. */
export function localImage(reference: string): string {
  const [first, ...rest] = reference.split("/");
  if (rest.length === 0) return `docker.io/library/${reference}`;
  const registry = first as string;
  return registry.includes(".") || registry.includes(":") || registry === "localhost"
    ? reference
    : `docker.io/${reference}`;
}

/** Kubernetes quantities as podman takes them: memory in bytes, CPU in cores. */
function memoryBytes(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|k|M|G)?$/.exec(quantity);
  if (!match) throw new Error(`memory quantity ${quantity} not understood`);
  const scale: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, k: 1e3, M: 1e6, G: 1e9 };
  return Math.round(Number(match[1]) * (match[2] ? (scale[match[2]] as number) : 1));
}
function cpuCores(quantity: string): number {
  return quantity.endsWith("m") ? Number(quantity.slice(0, -1)) / 1000 : Number(quantity);
}

/**
 * The folders that stand for the pod's volumes, made under `dir`: an emptyDir is world-writable (as the kubelet
 * makes it); a claim belongs to the fsGroup, setgid, group-writable (as fsGroup leaves a fresh volume).
 */
export function makeVolumes(pod: RenderedPod, dir: string): Map<string, string> {
  const folders = new Map<string, string>();
  for (const volume of pod.volumes) {
    if (!volume.emptyDir)
      throw new Error(`${pod.id}: volume ${volume.name} is not an emptyDir; not supported here`);
    const folder = join(dir, volume.name);
    mkdirSync(folder, { recursive: true });
    chmodSync(folder, 0o777);
    folders.set(volume.name, folder);
  }
  for (const claim of pod.claims) {
    const folder = join(dir, claim);
    mkdirSync(folder, { recursive: true });
    chownSync(folder, 0, pod.securityContext.fsGroup ?? 0);
    chmodSync(folder, 0o2770);
    folders.set(claim, folder);
  }
  return folders;
}

export interface RunOptions {
  podName: string;
  containerName: string;
  objects: K8sObject[];
  volumes: Map<string, string>;
  /** false runs the root filesystem writable, to see (podman diff) what a service would write there */
  readOnlyRoot: boolean;
  /** The image to run for a chart image reference (by default its local name; a test pins the IDs it built). */
  image?: (reference: string) => string;
}

/** `podman run` arguments (without `run` and `-d`) for one container of a rendered pod. */
export function podmanRunArgs(pod: RenderedPod, container: RenderedContainer, options: RunOptions): string[] {
  const podContext = pod.securityContext;
  const context = container.securityContext ?? {};
  const where = `${pod.id} container ${container.name}`;
  // --passwd=false: podman would otherwise add the UID to /etc/passwd and /etc/group (the kubelet does not)
  const args = ["--pod", options.podName, "--name", options.containerName, "--passwd=false"];

  const user = context.runAsUser ?? podContext.runAsUser;
  const group = context.runAsGroup ?? podContext.runAsGroup;
  if ((context.runAsNonRoot ?? podContext.runAsNonRoot) && !user) {
    throw new Error(`${where}: runAsNonRoot without a non-zero runAsUser`);
  }
  if (user !== undefined) args.push("--user", group !== undefined ? `${user}:${group}` : String(user));
  if (podContext.fsGroup !== undefined) args.push("--group-add", String(podContext.fsGroup));
  const seccomp = context.seccompProfile?.type ?? podContext.seccompProfile?.type;
  if (seccomp && seccomp !== "RuntimeDefault")
    throw new Error(`${where}: seccomp ${seccomp} not supported here`);
  if (context.privileged) throw new Error(`${where}: privileged containers are not run here`);
  if (context.readOnlyRootFilesystem && options.readOnlyRoot) {
    // only the pod's volumes are writable: no tmpfs of podman's own on /tmp, /run or /var/tmp
    args.push("--read-only", "--read-only-tmpfs=false");
  }
  if (context.allowPrivilegeEscalation === false) args.push("--security-opt", "no-new-privileges");
  for (const capability of context.capabilities?.drop ?? []) args.push(`--cap-drop=${capability}`);
  for (const capability of context.capabilities?.add ?? []) args.push(`--cap-add=${capability}`);

  const limits = container.resources?.limits;
  if (limits?.memory) args.push("--memory", String(memoryBytes(limits.memory)));
  if (limits?.cpu) args.push("--cpus", String(cpuCores(limits.cpu)));

  const { env, missing } = resolveEnv(container, options.objects);
  if (missing.length > 0) throw new Error(`${where}: unresolved environment: ${missing.join(", ")}`);
  for (const [name, value] of Object.entries(env)) args.push("--env", `${name}=${value}`);

  for (const mount of container.volumeMounts ?? []) {
    const folder = options.volumes.get(mount.name);
    if (!folder) throw new Error(`${where}: volume ${mount.name} is not in the pod`);
    args.push("--volume", `${folder}:${mount.mountPath}:${mount.readOnly ? "ro" : "rw"}`);
  }
  if (container.workingDir) args.push("--workdir", container.workingDir);
  if (container.command) args.push("--entrypoint", JSON.stringify(container.command));
  args.push((options.image ?? localImage)(container.image), ...(container.args ?? []));
  return args;
}

/** Paths a container may show as changed without writing them itself: its mount points and what the runtime mounts. */
export function mountPoints(container: RenderedContainer): string[] {
  return [
    ...(container.volumeMounts ?? []).map((mount) => mount.mountPath),
    // bind-mounted by podman (the kubelet mounts the same three, and /dev/termination-log)
    "/etc/hosts",
    "/etc/hostname",
    "/etc/resolv.conf",
    "/run/.containerenv",
  ];
}

/** The changes `podman diff` listed that are neither a mount point nor a folder on the way to one. */
export function writesOutsideMounts(changes: string[], mounts: string[]): string[] {
  return changes.filter((change) => {
    const path = change.slice(change.indexOf(" ") + 1);
    return !mounts.some((mount) => mount === path || mount.startsWith(`${path}/`));
  });
}
