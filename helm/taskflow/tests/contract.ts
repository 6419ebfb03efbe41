// The service contract (docs/service-contract.md) as data: which environment variables each service reads.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { K8sObject } from "./helm.ts";
import { repoRoot } from "./helm.ts";

export type ServiceKey = "sso" | "api" | "web" | "mcp";

export const services: Record<
  ServiceKey,
  {
    deployment: string;
    workspace: string;
    image: string;
    port: number;
    liveness: string;
    readiness: string;
    migrates: boolean;
  }
> = {
  sso: {
    deployment: "sso-platform",
    workspace: "apps/sso",
    image: "taskflow/sso-platform",
    port: 3001,
    liveness: "/api/health",
    readiness: "/api/health",
    migrates: true,
  },
  api: {
    deployment: "taskflow-api",
    workspace: "apps/api",
    image: "taskflow/api",
    port: 8000,
    liveness: "/health",
    readiness: "/health/ready",
    migrates: true,
  },
  web: {
    deployment: "web-dashboard",
    workspace: "apps/web",
    image: "taskflow/web-dashboard",
    port: 3000,
    liveness: "/api/health",
    readiness: "/api/health",
    migrates: false,
  },
  mcp: {
    deployment: "mcp-server",
    workspace: "apps/mcp-server",
    image: "taskflow/mcp-server",
    port: 8001,
    liveness: "/health",
    readiness: "/health/ready",
    migrates: false,
  },
};

export const secretNames = [
  "DATABASE_URL",
  "BETTER_AUTH_SECRET",
  "SMTP_PASS",
  "ADMIN_PASSWORD",
  "DASHBOARD_CLIENT_SECRET",
  "SESSION_SECRET",
  "NOTIFICATION_SECRET",
];

/** Variable names per service, read from the "Environment of each service" table of docs/service-contract.md. */
export function contractNames(): Record<ServiceKey, Set<string>> {
  const text = readFileSync(join(repoRoot, "docs", "service-contract.md"), "utf8");
  const section = text.slice(text.indexOf("## Environment of each service"));
  const names: Record<ServiceKey, Set<string>> = {
    sso: new Set(),
    api: new Set(),
    web: new Set(),
    mcp: new Set(),
  };
  // The first cell names services ("api, mcp-server, sso") or a group of them.
  const who: Record<string, ServiceKey[]> = {
    all: ["sso", "api", "web", "mcp"],
    "all with a database": ["sso", "api", "mcp"],
    api: ["api"],
    "mcp-server": ["mcp"],
    sso: ["sso"],
    web: ["web"],
  };
  for (const line of section.split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    if (cells.length < 4) continue;
    const parts = (cells[1] ?? "").split(",").map((part) => who[part.trim()]);
    if (parts.some((part) => !part)) continue;
    const targets = parts.flatMap((part) => part ?? []);
    for (const match of (cells[2] ?? "").matchAll(/`([A-Z][A-Z0-9_]*)`/g)) {
      for (const t of targets) names[t].add(match[1] as string);
    }
  }
  return names;
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string };
    configMapKeyRef?: { name: string; key: string };
  };
}
export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  startupProbe?: { httpGet?: { path: string; port: string | number } };
}
export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
}

export function podSpec(deployment: K8sObject): PodSpec {
  return (deployment as unknown as { spec: { template: { spec: PodSpec } } }).spec.template.spec;
}

function secretData(secret: K8sObject): Record<string, string> {
  const s = secret as unknown as { stringData?: Record<string, string>; data?: Record<string, string> };
  const fromData = Object.fromEntries(
    Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]),
  );
  return { ...fromData, ...(s.stringData ?? {}) };
}

/**
 * The environment a container would get, with ConfigMap and Secret references resolved from the rendered objects.
 * `names` records where each variable came from; unresolvable references are returned in `missing`.
 */
export function resolveEnv(container: Container, objects: K8sObject[]) {
  const find = (kind: string, name: string) =>
    objects.find((o) => o.kind === kind && o.metadata.name === name);
  const env: Record<string, string> = {};
  const missing: string[] = [];
  const fromConfigMap = new Set<string>();
  const fromSecret = new Set<string>();
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) {
      const cm = find("ConfigMap", source.configMapRef.name) as unknown as
        | { data?: Record<string, string> }
        | undefined;
      if (!cm) missing.push(`ConfigMap ${source.configMapRef.name}`);
      for (const [k, v] of Object.entries(cm?.data ?? {})) {
        env[k] = v;
        fromConfigMap.add(k);
      }
    }
    if (source.secretRef) {
      const secret = find("Secret", source.secretRef.name);
      if (!secret) missing.push(`Secret ${source.secretRef.name}`);
      for (const [k, v] of Object.entries(secret ? secretData(secret) : {})) {
        env[k] = v;
        fromSecret.add(k);
      }
    }
  }
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) env[variable.name] = variable.value;
    const ref = variable.valueFrom?.secretKeyRef;
    if (ref) {
      const secret = find("Secret", ref.name);
      const value = secret ? secretData(secret)[ref.key] : undefined;
      if (value === undefined) missing.push(`Secret ${ref.name} key ${ref.key}`);
      else env[variable.name] = value;
      fromSecret.add(variable.name);
    }
    const cmRef = variable.valueFrom?.configMapKeyRef;
    if (cmRef) {
      const cm = find("ConfigMap", cmRef.name) as unknown as { data?: Record<string, string> } | undefined;
      const value = cm?.data?.[cmRef.key];
      if (value === undefined) missing.push(`ConfigMap ${cmRef.name} key ${cmRef.key}`);
      else env[variable.name] = value;
      fromConfigMap.add(variable.name);
    }
  }
  return { env, missing, fromConfigMap, fromSecret };
}
