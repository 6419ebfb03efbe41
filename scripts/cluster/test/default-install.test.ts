// The chart as a person installs it: `helm install` with its default values and nothing overridden, into a
// namespace that enforces PodSecurity `restricted`; then the seed walkthrough's commands, the NetworkPolicies
// (enforced here by kube-router), and a rolling upgrade to a new image tag while people and agents work.
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chartDir,
  componentPods,
  deleteNamespace,
  helm,
  kubectl,
  must,
  portForward,
  restrictedNamespace,
  run,
  sleep,
} from "./support/kube.ts";
import { Load, streamGaps, watchedActions } from "./support/load.ts";
import { type ProbePod, probePod } from "./support/probe-pod.ts";
import { allPodsReady, appVersion, helmTest, install, type Release } from "./support/release.ts";
import { call, projectAudit, serviceUrls, signInAsAdmin, workspace } from "./support/taskflow.ts";

const release: Release = { name: "taskflow", namespace: "taskflow" };
const components = ["sso", "api", "web", "mcp", "sso-postgres", "api-postgres"];
const tagImages = fileURLToPath(new URL("../tag-images.sh", import.meta.url));

beforeAll(async () => {
  await restrictedNamespace(release.namespace);
  // The chart's defaults, nothing else: no --set, no -f.
  await install(release);
});
afterAll(async () => {
  await deleteNamespace(release.namespace);
});

describe("helm install with the default values in a `restricted` namespace", () => {
  it("brings up all six workloads, every pod Ready, none restarted", async () => {
    const list = await allPodsReady(release);
    const running = new Set(list.map((p) => p.labels["app.kubernetes.io/component"]));
    expect([...running].sort()).toEqual([...components].sort());
    expect(list.filter((p) => p.restarts > 0).map((p) => p.name)).toEqual([]);
  });

  it("is admitted by PodSecurity `restricted`, which does refuse a pod that breaks it", async () => {
    const events = await kubectl([
      "get",
      "events",
      "-n",
      release.namespace,
      "--field-selector",
      "reason=FailedCreate",
    ]);
    expect(events).not.toMatch(/PodSecurity/);
    const refused = await run("kubectl", [
      "run",
      "privileged-probe",
      "-n",
      release.namespace,
      "--image=busybox:1.37.0",
      "--restart=Never",
      '--overrides={"spec":{"containers":[{"name":"privileged-probe","image":"busybox:1.37.0","securityContext":{"privileged":true}}]}}',
    ]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/violates PodSecurity "restricted:latest"/);
  });

  it("passes `helm test`: every service answers its health and discovery endpoints through its Service", async () => {
    const output = await helmTest(release);
    for (const pod of ["sso-platform-test", "taskflow-api-test", "web-dashboard-test", "mcp-server-test"]) {
      expect(output).toMatch(new RegExp(`TEST SUITE:\\s+${pod}[\\s\\S]*?Phase:\\s+Succeeded`));
    }
  });
});

describe("the seed walkthrough's commands, run for real", () => {
  it("kubectl get pods lists every component Running", async () => {
    const table = await kubectl(["get", "pods", "-n", release.namespace]);
    for (const name of [
      "sso-platform-",
      "taskflow-api-",
      "web-dashboard-",
      "mcp-server-",
      "sso-postgres-0",
      "api-postgres-0",
    ]) {
      expect(table).toMatch(new RegExp(`^${name}\\S*\\s+1/1\\s+Running`, "m"));
    }
  });

  it("kubectl logs shows the init containers' migrations and the services' start-up", async () => {
    const migrations = await kubectl([
      "logs",
      "-n",
      release.namespace,
      "deploy/taskflow-api",
      "-c",
      "run-migrations",
    ]);
    expect(migrations).toMatch(/migrate: migrations applied/);
    const ssoMigrations = await kubectl([
      "logs",
      "-n",
      release.namespace,
      "deploy/sso-platform",
      "-c",
      "run-migrations",
    ]);
    expect(ssoMigrations.length).toBeGreaterThan(0);
    const api = await kubectl(["logs", "-n", release.namespace, "deploy/taskflow-api"]);
    expect(api).toMatch(/taskflow-api listening/);
  });

  it("kubectl describe shows the pod's probes, its read-only root and its events", async () => {
    const [api] = await componentPods(release.namespace, "api");
    const described = await kubectl(["describe", "pod", api?.name ?? "", "-n", release.namespace]);
    expect(described).toMatch(/Readiness:\s+http-get http:\/\/:http\/health\/ready/);
    expect(described).toMatch(/Init Containers:[\s\S]*wait-for-db[\s\S]*run-migrations/);
    expect(described).toMatch(/Ready:\s+True/);
  });

  it("kubectl port-forward reaches each service on the ports NOTES.txt names", async () => {
    for (const [service, port, path] of [
      ["svc/taskflow-api", 8000, "/health"],
      ["svc/sso-platform", 3001, "/.well-known/openid-configuration"],
      ["svc/web-dashboard", 3000, "/api/health"],
      ["svc/mcp-server", 8001, "/health"],
    ] as const) {
      const forward = await portForward(release.namespace, service, port, port);
      try {
        const response = await fetch(`http://localhost:${port}${path}`, {
          signal: AbortSignal.timeout(15_000),
        });
        expect(response.status, `${service}${path}`).toBe(200);
      } finally {
        await forward.close();
      }
    }
  });

  it("helm list, status and get values describe the release", async () => {
    expect(await helm(["list", "-n", release.namespace])).toMatch(/^taskflow\s+taskflow\s+1\s.*deployed/m);
    expect(await helm(["status", release.name, "-n", release.namespace])).toMatch(/STATUS: deployed/);
    // nothing was overridden
    expect((await helm(["get", "values", release.name, "-n", release.namespace])).trim()).toBe(
      "USER-SUPPLIED VALUES:\nnull",
    );
  });
});

describe("NetworkPolicy: only who needs a service reaches it", () => {
  let outsider: ProbePod;
  let otherNamespace: ProbePod;
  let helmTestLike: ProbePod;
  beforeAll(async () => {
    outsider = await probePod(release.namespace, "outsider");
    await restrictedNamespace("taskflow-outside");
    otherNamespace = await probePod("taskflow-outside", "outsider");
    // labelled as the chart's helm test pods, which the policies let in
    helmTestLike = await probePod(release.namespace, "helm-test-like", {
      "app.kubernetes.io/instance": release.name,
      "app.kubernetes.io/component": "helm-test",
    });
  });
  afterAll(async () => {
    await outsider?.delete();
    await helmTestLike?.delete();
    await deleteNamespace("taskflow-outside");
  });

  const targets = [
    ["taskflow-api", 8000],
    ["sso-platform", 3001],
    ["web-dashboard", 3000],
    ["mcp-server", 8001],
    ["api-postgres", 5432],
    ["sso-postgres", 5432],
  ] as const;

  it("refuses a pod the policies do not name, in the release's namespace and in another", async () => {
    for (const [service, port] of targets) {
      expect(await outsider.canConnect(`${service}.${release.namespace}.svc`, port), service).toBe(false);
      expect(await otherNamespace.canConnect(`${service}.${release.namespace}.svc`, port), service).toBe(
        false,
      );
    }
  });

  it("lets the helm test pods reach every service but neither database", async () => {
    for (const [service, port] of targets) {
      const allowed = !service.endsWith("-postgres");
      expect(await helmTestLike.canConnect(`${service}.${release.namespace}.svc`, port), service).toBe(
        allowed,
      );
    }
  });
});

describe("rolling upgrade to a new image tag under load", () => {
  const urls = serviceUrls(release.namespace);
  const newTag = `${appVersion}-cluster-upgrade`;

  it("fails no request, loses no acknowledged write, and the watcher resumes without a gap", async () => {
    const person = await signInAsAdmin(release.namespace);
    const work = await workspace(urls.api, person, "Upgrade under load", 5);
    const [writerA, writerB, reader, mcp, watcher] = work.agentKeys as [
      string,
      string,
      string,
      string,
      string,
    ];
    await must(tagImages, [appVersion, newTag]);

    const load = new Load({
      apiUrl: urls.api,
      mcpUrl: urls.mcp,
      projectId: work.projectId,
      keys: { writers: [writerA, writerB], reader, mcp, watcher },
    });
    await load.start();
    await sleep(10_000);
    const tags = ["sso", "api", "web", "mcp"].flatMap((s) => ["--set", `${s}.image.tag=${newTag}`]);
    await helm(
      [
        "upgrade",
        release.name,
        chartDir,
        "-n",
        release.namespace,
        "--reuse-values",
        ...tags,
        "--wait",
        "--timeout",
        "10m",
      ],
      { timeoutMs: 11 * 60_000 },
    );
    await sleep(10_000);
    const report = await load.stop();

    expect(report.failures).toEqual([]);
    expect(report.acknowledged.length).toBeGreaterThan(50);
    // every pod now runs the new tag
    for (const component of ["sso", "api", "web", "mcp"]) {
      const list = await componentPods(release.namespace, component);
      expect(list.map((p) => p.image)).toEqual(list.map(() => expect.stringMatching(`:${newTag}$`)));
    }
    // nothing acknowledged was lost
    for (const id of report.acknowledged) {
      await call(urls.api, reader, "GET", `/api/tasks/${id}`);
    }
    // the API pod the stream was on went away: the watcher reconnected, with Last-Event-ID, and missed nothing
    expect(report.streamOpens).toBeGreaterThanOrEqual(2);
    const audit = await projectAudit(urls.api, reader, work.projectId);
    expect(audit.filter((e) => !watchedActions.includes(e.action))).toEqual([]);
    expect(
      streamGaps(
        report.watched,
        audit.map((e) => Number(e.id)),
      ),
    ).toEqual({ missing: [], duplicates: [] });
    const watchedTasks = new Set(report.watched.map((e) => e.taskId));
    expect(report.acknowledged.filter((id) => !watchedTasks.has(id))).toEqual([]);
  });
});
