// Installing, upgrading and checking a release of the chart in the cluster.
import { chartDir, componentPods, helm, kubectl, pods, waitFor } from "./kube.ts";

export const appVersion = "0.1.0";

export interface Release {
  name: string;
  namespace: string;
}

/** `helm install NAME CHART -n NS ARGS...`, waiting until every pod is Ready (helm's own --wait). */
export async function install(release: Release, args: string[] = []): Promise<string> {
  return helm(
    ["install", release.name, chartDir, "-n", release.namespace, ...args, "--wait", "--timeout", "10m"],
    {
      timeoutMs: 11 * 60_000,
    },
  );
}

/** Every pod of the release's workloads Ready, none restarting; returns them. */
export async function allPodsReady(release: Release) {
  return waitFor(
    `every pod of ${release.name} Ready`,
    async () => {
      const list = (await pods(release.namespace, `app.kubernetes.io/instance=${release.name}`)).filter(
        (p) => p.labels["app.kubernetes.io/component"] !== "helm-test",
      );
      return list.length > 0 && list.every((p) => p.ready && !p.deleting) ? list : undefined;
    },
    { timeoutMs: 600_000, everyMs: 2_000 },
  );
}

/** `helm test` with its logs; throws (with them) when a test pod fails. */
export async function helmTest(release: Release): Promise<string> {
  return helm(["test", release.name, "-n", release.namespace, "--logs", "--timeout", "5m"], {
    timeoutMs: 6 * 60_000,
  });
}

/** Waits for a Deployment's rollout to finish. */
export async function rolloutStatus(release: Release, deployment: string): Promise<void> {
  await kubectl(["rollout", "status", `deployment/${deployment}`, "-n", release.namespace, "--timeout=10m"], {
    timeoutMs: 11 * 60_000,
  });
}

/** The pods of a component and their IPs, once `count` of them are Ready. */
export async function readyPods(release: Release, component: string, count: number) {
  return waitFor(
    `${count} ready ${component} pods`,
    async () => {
      const list = (await componentPods(release.namespace, component)).filter((p) => p.ready);
      return list.length === count ? list : undefined;
    },
    { timeoutMs: 600_000, everyMs: 2_000 },
  );
}
