// The chart, rendered by the real helm 4 with the default, dev and prod values, and checked by:
// helm lint --strict, the Kubernetes types (tsc `satisfies`, unknown keys fail) and kubernetes-models,
// kube-score, checkov, the service contract (names, ports, probes, images, init containers) and the
// services' own env schemas (apps/<service>/src/env.ts parseEnv) where they exist.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import {
  type Container,
  contractNames,
  podSpec,
  resolveEnv,
  type ServiceKey,
  secretNames,
  services,
} from "./contract.ts";
import {
  chartDir,
  helm,
  type K8sObject,
  parseObjects,
  prodSecrets,
  release,
  repoRoot,
  run,
  template,
  tool,
  valueSets,
  writeTemp,
} from "./helm.ts";
import { strictTypecheck, validateModels } from "./k8s-types.ts";

/**
 * Accepted findings, each with its reason (also in README.md, "Accepted findings").
 * kube-score: `pod-probes-identical` is ignored per object by the `kube-score/ignore` annotation the chart puts on
 * sso and web (one health endpoint each in the contract). Below: CLI ignores per value set.
 */
const kubeScoreIgnores: Record<string, string[]> = {
  default: [],
  // values-dev.yaml pulls IfNotPresent: its images are loaded into minikube (`minikube image load`), never pulled.
  dev: ["container-image-pull-policy"],
  prod: [],
};
const checkovSkips: Record<string, string[]> = {
  all: [
    // The service contract delivers secrets as environment variables (each service parses its env once at start-up).
    "CKV_K8S_35",
    // Images are pinned by version tag; a digest can be given per image (image.digest) but is not the default.
    "CKV_K8S_43",
  ],
  // values-dev.yaml pulls IfNotPresent: its images are loaded into minikube, never pulled.
  dev: ["CKV_K8S_15"],
};

/**
 * Rendered lazily (once per value set) inside the tests, so that a missing helm fails every test with the
 * install instruction instead of failing a hook and leaving the tests merely skipped.
 */
const cache = new Map<string, { manifest: string; objects: K8sObject[] }>();
function rendered(set: string): { manifest: string; objects: K8sObject[] } {
  let entry = cache.get(set);
  if (!entry) {
    const manifest = template(valueSets[set] ?? []);
    entry = { manifest, objects: parseObjects(manifest) };
    cache.set(set, entry);
  }
  return entry;
}

const of = (set: string, kind: string) => rendered(set).objects.filter((o) => o.kind === kind);
const byName = (set: string, kind: string, name: string) => {
  const found = of(set, kind).find((o) => o.metadata.name === name);
  if (!found) throw new Error(`${set}: no ${kind} ${name}`);
  return found;
};

describe("chart tools", () => {
  it("helm 4 is installed (scripts/install-chart-tools.sh)", () => {
    const result = helm(["version", "--template", "{{.Version}}"]);
    expect(result.stdout).toMatch(/^v4\./);
  });
});

describe.each(Object.keys(valueSets))("values: %s", (set) => {
  const args = valueSets[set] as string[];

  it("passes helm lint --strict", () => {
    const result = helm(["lint", "--strict", chartDir, "--namespace", "taskflow", ...args]);
    expect(result.stderr + result.stdout).toContain("0 chart(s) failed");
    expect(result.status).toBe(0);
  });

  it("renders every object in namespace taskflow", () => {
    const objects = rendered(set).objects;
    expect(objects.length).toBeGreaterThan(20);
    for (const o of objects) expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBe("taskflow");
  });

  it("matches the Kubernetes types strictly (kubernetes-types + satisfies under tsc)", () => {
    const result = strictTypecheck(set, rendered(set).objects);
    expect(result.output).toBe("");
    expect(result.ok).toBe(true);
  }, 120_000);

  it("validates with kubernetes-models", async () => {
    expect(await validateModels(rendered(set).objects)).toEqual([]);
  });

  it("has no critical kube-score finding", () => {
    const file = writeTemp(`${set}.yaml`, rendered(set).manifest);
    const ignores = (kubeScoreIgnores[set] ?? []).flatMap((t) => ["--ignore-test", t]);
    const result = run(tool("kube-score"), ["score", file, "--output-format", "ci", ...ignores]);
    const critical = result.stdout.split("\n").filter((l) => l.startsWith("[CRITICAL]"));
    expect(critical).toEqual([]);
    expect(result.stdout).toContain("[OK]");
  });

  it("has no failed checkov check", () => {
    const file = writeTemp(`${set}.yaml`, rendered(set).manifest);
    const result = run(tool("checkov"), [
      "-f",
      file,
      "--framework",
      "kubernetes",
      "--quiet",
      "--compact",
      "--skip-download",
      "--skip-check",
      [...(checkovSkips.all ?? []), ...(checkovSkips[set] ?? [])].join(","),
      "-o",
      "json",
    ]);
    const report = JSON.parse(result.stdout) as {
      results?: { failed_checks: { check_id: string; resource: string }[] };
      summary?: { passed: number };
    };
    const failed = (report.results?.failed_checks ?? []).map((c) => `${c.check_id} ${c.resource}`);
    expect(failed).toEqual([]);
    expect(report.summary?.passed ?? 0).toBeGreaterThan(100);
  }, 120_000);

  it("keeps secrets out of ConfigMaps and never sets CORS_ORIGINS", () => {
    for (const cm of of(set, "ConfigMap")) {
      const keys = Object.keys((cm as unknown as { data?: object }).data ?? {});
      for (const secret of secretNames) expect(keys, `${cm.metadata.name}`).not.toContain(secret);
    }
    expect(rendered(set).manifest).not.toContain("CORS_ORIGINS");
  });

  describe.each(Object.keys(services) as ServiceKey[])("%s", (svc) => {
    const s = services[svc];
    const contract = contractNames()[svc];

    it("sets only the contract's variable names, secrets from Secrets", () => {
      const spec = podSpec(byName(set, "Deployment", s.deployment));
      const main = spec.containers[0];
      if (!main) throw new Error("no container");
      const { env, missing, fromConfigMap } = resolveEnv(main, rendered(set).objects);
      expect(missing).toEqual([]);
      expect(Object.keys(env).filter((name) => !contract.has(name))).toEqual([]);
      for (const name of fromConfigMap) expect(secretNames).not.toContain(name);
      if (svc === "api") expect(env.ALLOWED_ORIGINS).toBeTruthy();
      if (svc !== "web") expect(env.DATABASE_URL).toMatch(/^postgres:\/\//);
    });

    it("listens on the contract's port and probes the contract's health paths", () => {
      const spec = podSpec(byName(set, "Deployment", s.deployment));
      const main = spec.containers[0];
      if (!main) throw new Error("no container");
      expect(main.ports?.map((p) => p.containerPort)).toEqual([s.port]);
      expect(resolveEnv(main, rendered(set).objects).env.PORT).toBe(String(s.port));
      expect(main.livenessProbe?.httpGet?.path).toBe(s.liveness);
      expect(main.readinessProbe?.httpGet?.path).toBe(s.readiness);
      expect(main.startupProbe?.httpGet?.path).toBe(s.liveness);
      const service = byName(set, "Service", s.deployment) as unknown as {
        spec: { type: string; ports: { port: number }[] };
      };
      expect(service.spec.type).toBe("ClusterIP");
      expect(service.spec.ports[0]?.port).toBe(s.port);
    });

    it("runs its own image, hardened", () => {
      const deployment = byName(set, "Deployment", s.deployment);
      const spec = podSpec(deployment) as unknown as Record<string, unknown> & ReturnType<typeof podSpec>;
      const main = spec.containers[0];
      expect(main?.image).toBe(`${s.image}:0.1.0`);
      expect(spec.automountServiceAccountToken).toBe(false);
      expect(spec.serviceAccountName).toBe("taskflow");
      const podSc = spec.securityContext as Record<string, unknown>;
      expect(podSc.runAsNonRoot).toBe(true);
      expect(podSc.seccompProfile).toEqual({ type: "RuntimeDefault" });
      for (const c of [...spec.containers, ...(spec.initContainers ?? [])] as unknown as Record<
        string,
        Record<string, unknown>
      >[]) {
        const sc = c.securityContext as Record<string, unknown>;
        expect(sc.readOnlyRootFilesystem).toBe(true);
        expect(sc.allowPrivilegeEscalation).toBe(false);
        expect(sc.capabilities).toEqual({ drop: ["ALL"] });
        const resources = c.resources as { requests: object; limits: object };
        expect(Object.keys(resources.requests)).toEqual(expect.arrayContaining(["cpu", "memory"]));
        expect(Object.keys(resources.limits)).toEqual(expect.arrayContaining(["cpu", "memory"]));
        expect(c.volumeMounts).toEqual(expect.arrayContaining([{ name: "tmp", mountPath: "/tmp" }]));
      }
      const annotations = (
        deployment as unknown as { spec: { template: { metadata: { annotations: Record<string, string> } } } }
      ).spec.template.metadata.annotations;
      expect(annotations["checksum/config"]).toMatch(/^[0-9a-f]{64}$/);
      expect(annotations["checksum/secret"]).toMatch(/^[0-9a-f]{64}$/);
    });

    it("waits for its database, then migrates with its own image (api and sso only)", () => {
      const spec = podSpec(byName(set, "Deployment", s.deployment));
      const init = spec.initContainers ?? [];
      if (svc === "web") return expect(init).toEqual([]);
      expect(init[0]?.name).toBe("wait-for-db");
      const dbHost = svc === "sso" ? "sso-postgres.taskflow.svc 5432" : "api-postgres.taskflow.svc 5432";
      expect(init[0]?.args?.[0]).toContain(`nc -z -w 2 ${dbHost}`);
      if (!s.migrates) return expect(init.map((c) => c.name)).toEqual(["wait-for-db"]);
      expect(init.map((c) => c.name)).toEqual(["wait-for-db", "run-migrations"]);
      expect(init[1]?.image).toBe(spec.containers[0]?.image);
      expect(init[1]?.command).toEqual(["npm", "run", "migrate", "-w", s.workspace]);
      const migrateEnv = resolveEnv(init[1] as never, rendered(set).objects).env;
      expect(migrateEnv.DATABASE_URL).toMatch(/^postgres:\/\//);
    });

    const envFile = join(repoRoot, s.workspace, "src", "env.ts");
    const pending = existsSync(envFile) ? "" : ` (pending: ${s.workspace}/src/env.ts does not exist yet)`;
    if (pending === "")
      it(`the environment is accepted by ${s.workspace}'s parseEnv${pending}`, async () => {
        const module = (await import(pathToFileURL(envFile).href)) as {
          parseEnv?: (source: Record<string, string | undefined>) => unknown;
        };
        expect(typeof module.parseEnv, `${s.workspace}/src/env.ts exports parseEnv`).toBe("function");
        const main = podSpec(byName(set, "Deployment", s.deployment)).containers[0];
        if (!main) throw new Error("no container");
        const { env } = resolveEnv(main, rendered(set).objects);
        expect(() => module.parseEnv?.(env)).not.toThrow();
      });
  });
});

describe("production", () => {
  it("refuses to render without its secrets, naming the value to set", () => {
    const result = helm(["template", ...release, "-f", join(chartDir, "values-prod.yaml")]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/global\.environment=production requires [a-zA-Z.]+: set it/);
  });

  it.each([
    ["sso.env.BETTER_AUTH_SECRET", "changeme"],
    ["sso.postgresql.password", "postgres"],
    ["web.env.SESSION_SECRET", "too-short"],
  ])("refuses the weak value of %s", (path, weak) => {
    const result = helm([
      "template",
      ...release,
      ...(valueSets.prod ?? []),
      "--set-string",
      `${path}=${weak}`,
    ]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`global.environment=production refuses ${path}`);
  });

  it("takes every secret from existingSecrets instead", () => {
    const objects = parseObjects(
      template([
        "-f",
        join(chartDir, "values-prod.yaml"),
        "--set",
        "sso.existingSecret=sso-secrets,api.existingSecret=api-secrets,web.existingSecret=web-secrets,mcp.existingSecret=mcp-secrets",
        "--set",
        "sso.postgresql.existingSecret=sso-db,api.postgresql.existingSecret=api-db",
      ]),
    );
    expect(objects.filter((o) => o.kind === "Secret")).toEqual([]);
    const refs = (name: string) =>
      JSON.stringify(objects.find((o) => o.kind === "Deployment" && o.metadata.name === name));
    expect(refs("sso-platform")).toContain('"name":"sso-secrets"');
    expect(refs("taskflow-api")).toContain('"name":"api-secrets"');
    expect(refs("web-dashboard")).toContain('"name":"web-secrets"');
    expect(refs("mcp-server")).toContain('"name":"mcp-secrets"');
    expect(
      JSON.stringify(objects.find((o) => o.kind === "StatefulSet" && o.metadata.name === "sso-postgres")),
    ).toContain('"name":"sso-db"');
  });
});

describe("bad values fail with the intended message", () => {
  it.each([
    ["a wrong type", ["--set", "sso.replicaCount=two"], "at '/sso/replicaCount': got string, want integer"],
    [
      "an unknown key",
      ["--set", "api.replicas=2"],
      "at '/api': additional properties 'replicas' not allowed",
    ],
    [
      "a misspelled env name",
      ["--set", "api.env.CORS_ORIGINS=http://x"],
      "additional properties 'CORS_ORIGINS' not allowed",
    ],
    ["an unknown environment", ["--set", "global.environment=staging"], "at '/global/environment'"],
    ["a bad port", ["--set", "api.service.targetPort=70000"], "at '/api/service/targetPort'"],
    [
      "a database password Secret without the service Secret",
      ["--set", "sso.postgresql.existingSecret=mine"],
      "sso.postgresql.existingSecret is set: the chart cannot build DATABASE_URL",
    ],
    [
      "mcp-server without the API that owns its database",
      ["--set", "api.enabled=false"],
      "mcp-server uses the API's database, which is deployed with the API",
    ],
    [
      "no database at all",
      ["--set", "sso.postgresql.enabled=false"],
      "sso: postgresql.enabled is false and database.url is empty",
    ],
  ])("%s", (_what, args, message) => {
    const result = helm(["template", ...release, ...args]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(message);
  });
});

describe("behaviour", () => {
  it("uses an external PostgreSQL given by URL instead of the StatefulSet (api and mcp-server share it)", () => {
    const url = "postgres://tf:s3cret@db.example.com:6543/taskflow";
    const objects = parseObjects(template(["--set", `api.database.url=${url}`]));
    expect(objects.filter((o) => o.kind === "StatefulSet").map((o) => o.metadata.name)).toEqual([
      "sso-postgres",
    ]);
    for (const name of ["taskflow-api", "mcp-server"]) {
      const deployment = objects.find(
        (o) => o.kind === "Deployment" && o.metadata.name === name,
      ) as K8sObject;
      const spec = podSpec(deployment);
      expect(spec.initContainers?.[0]?.args?.[0]).toContain("nc -z -w 2 db.example.com 6543");
      expect(resolveEnv(spec.containers[0] as never, objects).env.DATABASE_URL).toBe(url);
    }
  });

  it("gives every service the same issuer, audiences and dashboard client (prod values)", () => {
    const envOf = (svc: ServiceKey) => {
      const main = podSpec(byName("prod", "Deployment", services[svc].deployment)).containers[0];
      if (!main) throw new Error(`${svc}: no container`);
      return resolveEnv(main, rendered("prod").objects).env;
    };
    const [sso, api, web, mcp] = [envOf("sso"), envOf("api"), envOf("web"), envOf("mcp")];
    expect(sso.BETTER_AUTH_URL).toMatch(/^https:\/\//);
    for (const env of [api, web, mcp]) expect(env.SSO_ISSUER).toBe(sso.BETTER_AUTH_URL);
    // The dashboard asks for tokens whose audience the API accepts, though it calls the API in-cluster.
    expect(web.API_AUDIENCE).toBe(api.API_AUDIENCE);
    expect(sso.API_AUDIENCE).toBe(api.API_AUDIENCE);
    expect(web.API_URL).not.toBe(web.API_AUDIENCE);
    expect(sso.MCP_RESOURCE_URL).toBe(mcp.MCP_RESOURCE_URL);
    expect(web.MCP_PUBLIC_URL).toBe(mcp.MCP_RESOURCE_URL);
    expect(web.DASHBOARD_CLIENT_ID).toBe(sso.DASHBOARD_CLIENT_ID);
    expect(api.DASHBOARD_CLIENT_ID).toBe(sso.DASHBOARD_CLIENT_ID);
    expect(sso.DASHBOARD_REDIRECT_URIS).toBe(`${web.PUBLIC_URL}/api/auth/callback`);
    expect(api.LEASE_SECONDS ?? "").toBe(mcp.LEASE_SECONDS ?? "");
    expect(api.DELEGATION_MAX_DEPTH ?? "").toBe(mcp.DELEGATION_MAX_DEPTH ?? "");
    expect(api.SSO_REVOCATION_POLL_SECONDS ?? "").toBe(mcp.SSO_REVOCATION_POLL_SECONDS ?? "");
  });

  it("trusts X-Forwarded-For only behind the service's own ingress", () => {
    const trustProxy = (args: string[], configMap = "sso-platform-config") => {
      const objects = parseObjects(template(args));
      const cm = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === configMap);
      return (cm as unknown as { data: Record<string, string> }).data.TRUST_PROXY;
    };
    for (const [svc, configMap] of [
      ["sso", "sso-platform-config"],
      ["api", "taskflow-api-config"],
      ["mcp", "mcp-server-config"],
    ] as const) {
      expect(trustProxy([], configMap)).toBe("false");
      expect(trustProxy(["--set", `${svc}.ingress.enabled=true`], configMap)).toBe("1");
    }
    expect(trustProxy(["--set", "sso.ingress.enabled=true", "--set", "sso.env.TRUST_PROXY=false"])).toBe(
      "false",
    );
  });

  it("lets the MCP server answer every name of its Service, the fully qualified one included", () => {
    const allowedHosts = (args: string[]) => {
      const objects = parseObjects(template(args));
      const cm = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === "mcp-server-config");
      return (cm as unknown as { data: Record<string, string> }).data.ALLOWED_HOSTS?.split(",") ?? [];
    };
    // what a client in the cluster may put in Host: the short name, .<namespace>, .svc, .svc.<cluster domain>
    expect(allowedHosts([])).toEqual(
      expect.arrayContaining([
        "localhost:8001",
        "mcp-server:8001",
        "mcp-server.taskflow:8001",
        "mcp-server.taskflow.svc:8001",
        "mcp-server.taskflow.svc.cluster.local:8001",
      ]),
    );
    const elsewhere = allowedHosts([
      "--set",
      "global.namespace=agents",
      "--set",
      "global.clusterDomain=corp.example",
      "--set",
      "mcp.service.port=80",
    ]);
    expect(elsewhere).toEqual(
      expect.arrayContaining(["mcp-server.agents.svc.corp.example", "mcp-server.agents.svc.corp.example:80"]),
    );
    expect(elsewhere.filter((h) => h.includes("cluster.local") || h.includes(".taskflow"))).toEqual([]);
    // a value given replaces the default entirely
    expect(allowedHosts(["--set", "mcp.env.ALLOWED_HOSTS=mcp.example.com"])).toEqual(["mcp.example.com"]);
  });

  it("sets one revocation poll interval for the API and the mcp-server", () => {
    const objects = parseObjects(template(["--set", "api.env.SSO_REVOCATION_POLL_SECONDS=2"]));
    for (const configMap of ["taskflow-api-config", "mcp-server-config"]) {
      const cm = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === configMap);
      expect((cm as unknown as { data: Record<string, string> }).data.SSO_REVOCATION_POLL_SECONDS).toBe("2");
    }
  });

  it("rolls the pods when configuration changes (checksum annotations)", () => {
    const checksum = (args: string[]) => {
      const objects = parseObjects(template(args));
      const d = objects.find((o) => o.kind === "Deployment" && o.metadata.name === "taskflow-api");
      return (d as unknown as { spec: { template: { metadata: { annotations: Record<string, string> } } } })
        .spec.template.metadata.annotations["checksum/config"];
    };
    expect(checksum(["--set", "api.env.LOG_LEVEL=debug"])).not.toBe(
      checksum(["--set", "api.env.LOG_LEVEL=warn"]),
    );
  });

  it("lets endpoints drop a terminating pod before its server closes (in-app delay or a preStop sleep)", () => {
    type Draining = {
      terminationGracePeriodSeconds: number;
      containers: { lifecycle?: { preStop?: { sleep?: { seconds: number } } } }[];
    };
    const drainOf = (args: string[], name: string) => {
      const objects = parseObjects(template(args));
      const deployment = objects.find((o) => o.kind === "Deployment" && o.metadata.name === name);
      if (!deployment) throw new Error(`no Deployment ${name}`);
      const spec = podSpec(deployment) as unknown as Draining;
      const env = resolveEnv(podSpec(deployment).containers[0] as Container, objects).env;
      return {
        grace: spec.terminationGracePeriodSeconds,
        preStopSleep: spec.containers[0]?.lifecycle?.preStop?.sleep?.seconds,
        inAppDelay: env.SHUTDOWN_DELAY_SECONDS,
      };
    };
    // Next.js' standalone server closes at once on SIGTERM: the kubelet sleeps first.
    const web = drainOf([], services.web.deployment);
    expect(web.preStopSleep).toBe(5);
    expect(web.preStopSleep ?? 0).toBeLessThan(web.grace);
    expect(
      drainOf(["--set", "web.shutdownDelaySeconds=0"], services.web.deployment).preStopSleep,
    ).toBeUndefined();
    // The API, the MCP server and the SSO keep serving with readiness false for SHUTDOWN_DELAY_SECONDS
    // (empty = their default, 3): no sleep needed.
    for (const svc of ["api", "mcp", "sso"] as const) {
      const set = ["--set", `${svc}.env.SHUTDOWN_DELAY_SECONDS=7`];
      const drain = drainOf(set, services[svc].deployment);
      expect(drain.inAppDelay).toBe("7");
      expect(drain.preStopSleep).toBeUndefined();
      expect(Number(drain.inAppDelay)).toBeLessThan(drain.grace);
    }
  });

  it("creates the namespace only when it is not the release namespace", () => {
    const own = helm(["template", "taskflow", chartDir]);
    expect(
      parseObjects(own.stdout)
        .filter((o) => o.kind === "Namespace")
        .map((o) => o.metadata.name),
    ).toEqual(["taskflow"]);
    expect(of("default", "Namespace")).toEqual([]);
  });

  it("renders HPA, PDB, ingresses and NetworkPolicies when asked (prod values)", () => {
    expect(
      of("prod", "HorizontalPodAutoscaler")
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(["taskflow-api", "web-dashboard"]);
    expect(of("prod", "PodDisruptionBudget")).toHaveLength(4);
    expect(of("prod", "Ingress")).toHaveLength(4);
    const api = byName("prod", "Deployment", "taskflow-api") as unknown as { spec: { replicas?: number } };
    expect(api.spec.replicas).toBeUndefined();
    const pg = JSON.stringify(byName("prod", "NetworkPolicy", "api-postgres"));
    expect(pg).toContain("taskflow-api");
    expect(pg).toContain("mcp-server");
    expect(pg).not.toContain("web-dashboard");
    expect(JSON.stringify(byName("prod", "NetworkPolicy", "sso-postgres"))).not.toContain("taskflow-api");
  });

  it("uses the official postgres image, pinned", () => {
    for (const sts of of("default", "StatefulSet")) {
      const image = (sts as unknown as { spec: { template: { spec: { containers: { image: string }[] } } } })
        .spec.template.spec.containers[0]?.image;
      expect(image).toMatch(/^postgres:\d+\.\d+-[a-z]+$/);
    }
  });

  it("has helm test pods for every service's health and discovery endpoints", () => {
    const pods = of("default", "Pod");
    const script = JSON.stringify(pods);
    for (const path of [
      "/api/health",
      "/.well-known/openid-configuration",
      "/health/ready",
      "/openapi.json",
      "/.well-known/oauth-protected-resource",
    ]) {
      expect(script).toContain(path);
    }
    for (const pod of pods) expect(pod.metadata.annotations?.["helm.sh/hook"]).toBe("test");
  });

  it("runs the seed's commands (Debugging, Pattern 2, Pattern 3)", () => {
    expect(helm(["install", "taskflow", "./helm/taskflow", "--dry-run=client", "--debug"]).status).toBe(0);
    // The seed's literal command: Helm 4 still takes a bare --dry-run (as client), with a deprecation warning.
    expect(helm(["install", "taskflow", "./helm/taskflow", "--dry-run", "--debug"]).status).toBe(0);
    expect(helm(["template", "taskflow", "./helm/taskflow"]).status).toBe(0);
    expect(
      helm(["template", "taskflow", "./helm/taskflow", "-f", "helm/taskflow/values-dev.yaml"]).status,
    ).toBe(0);
    expect(
      helm([
        "template",
        "taskflow",
        "./helm/taskflow",
        "-f",
        "helm/taskflow/values-prod.yaml",
        ...prodSecrets,
      ]).status,
    ).toBe(0);
    const pattern3 = helm([
      "template",
      "taskflow",
      "./helm/taskflow",
      "--set",
      "sso.env.BETTER_AUTH_SECRET=0123456789abcdef0123456789abcdef",
      "--set",
      "sso.smtp.password=mypassword",
    ]);
    expect(pattern3.status).toBe(0);
  });

  it("the strict type check catches a misspelled key", () => {
    const bad = parseObjects(rendered("default").manifest).slice(0, 1);
    (bad[0] as Record<string, unknown>).metdata = { name: "typo" };
    const result = strictTypecheck("negative", bad);
    expect(result.ok).toBe(false);
    expect(result.output).toContain("metdata");
  }, 120_000);
});
