// A small pod to look at the cluster's network from the inside (the chart's utility image: sh, nc, wget),
// admitted by PodSecurity `restricted`.
import { kubectl, run, waitFor } from "./kube.ts";

export interface ProbePod {
  name: string;
  namespace: string;
  /** `nc -z` to HOST PORT from inside the pod: true when a connection opened within 3 s. */
  canConnect(host: string, port: number): Promise<boolean>;
  delete(): Promise<void>;
}

export async function probePod(
  namespace: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<ProbePod> {
  const manifest = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace, labels: { "taskflow-cluster-test": "probe", ...labels } },
    spec: {
      restartPolicy: "Never",
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: 0,
      securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } },
      containers: [
        {
          name: "probe",
          image: "busybox:1.37.0",
          command: ["sh", "-c", "sleep 3600"],
          securityContext: {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
          },
          resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "32Mi" } },
        },
      ],
    },
  };
  await kubectl(["apply", "-f", "-"], { input: JSON.stringify(manifest) });
  await kubectl(["wait", "pod", name, "-n", namespace, "--for=condition=Ready", "--timeout=180s"]);
  return {
    name,
    namespace,
    canConnect: async (host, port) => {
      // -w 3: a refused policy drops the packets, so the attempt times out rather than being reset.
      const result = await run("kubectl", [
        "exec",
        name,
        "-n",
        namespace,
        "--",
        "nc",
        "-z",
        "-w",
        "3",
        host,
        String(port),
      ]);
      return result.code === 0;
    },
    delete: async () => {
      await kubectl(["delete", "pod", name, "-n", namespace, "--wait=true", "--ignore-not-found"]);
      await waitFor(
        `pod ${name} gone`,
        async () => (await run("kubectl", ["get", "pod", name, "-n", namespace])).code !== 0,
      );
    },
  };
}
