// The production values (values-prod.yaml) as an operator runs them: every secret in Secrets the operator made
// (existingSecret), both databases on a PostgreSQL outside the cluster, two replicas of everything.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chartDir,
  deleteNamespace,
  kubectl,
  kubectlJson,
  must,
  restrictedNamespace,
  waitFor,
} from "./support/kube.ts";
import { allPodsReady, helmTest, install, type Release } from "./support/release.ts";

const release: Release = { name: "taskflow", namespace: "taskflow-prod" };
const externalPostgres = fileURLToPath(new URL("../external-postgres.sh", import.meta.url));
const secret = () => randomBytes(24).toString("base64url");
let valuesDir: string;

async function createSecret(name: string, data: Record<string, string>): Promise<void> {
  await kubectl([
    "create",
    "secret",
    "generic",
    name,
    "-n",
    release.namespace,
    ...Object.entries(data).map(([k, v]) => `--from-literal=${k}=${v}`),
  ]);
}

/** The keys the chart's README names for `<service>.existingSecret` (its values table). */
function existingSecretKeys(service: string): string[] {
  const readme = readFileSync(join(chartDir, "README.md"), "utf8");
  const row = readme.split("\n").find((line) => line.startsWith(`| \`${service}.existingSecret\` |`));
  if (!row) throw new Error(`the chart's README has no row for ${service}.existingSecret`);
  const description = row.split("|")[4] ?? "";
  return [...new Set(description.match(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g) ?? [])];
}

beforeAll(async () => {
  const [ssoUrl, apiUrl] = (
    await must(externalPostgres, [
      "start",
      `sso_user:${secret()}:sso_db`,
      `taskflow_user:${secret()}:taskflow_db`,
    ])
  )
    .trim()
    .split("\n");
  const host = new URL(apiUrl as string).hostname;
  const port = Number(new URL(apiUrl as string).port);
  await restrictedNamespace(release.namespace);
  // Each Secret holds the keys the chart's README tells an operator to put there, no more: a key the chart starts
  // reading without the README saying so leaves a pod unable to start, and this test red.
  const dashboardSecret = secret();
  const operatorValue = (key: string, databaseUrl: string) =>
    key === "DATABASE_URL" ? databaseUrl : key === "DASHBOARD_CLIENT_SECRET" ? dashboardSecret : secret();
  for (const [service, databaseUrl] of [
    ["sso", ssoUrl],
    ["api", apiUrl],
    ["mcp", apiUrl],
    ["web", ""],
  ] as const) {
    const keys = existingSecretKeys(service);
    await createSecret(
      `${service}-credentials`,
      Object.fromEntries(keys.map((key) => [key, operatorValue(key, databaseUrl as string)])),
    );
  }
  // what an operator adds to values-prod.yaml: where the secrets and the databases are
  valuesDir = mkdtempSync(join(tmpdir(), "taskflow-prod-values-"));
  const operatorValues = join(valuesDir, "operator.yaml");
  writeFileSync(
    operatorValues,
    JSON.stringify({
      global: { namespace: "" },
      sso: { existingSecret: "sso-credentials", postgresql: { enabled: false }, database: { host, port } },
      api: { existingSecret: "api-credentials", postgresql: { enabled: false }, database: { host, port } },
      mcp: { existingSecret: "mcp-credentials" },
      web: { existingSecret: "web-credentials" },
    }),
  );
  await install(release, ["-f", join(chartDir, "values-prod.yaml"), "-f", operatorValues]);
});
afterAll(async () => {
  await deleteNamespace(release.namespace);
  await must(externalPostgres, ["stop"]);
  if (valuesDir) rmSync(valuesDir, { recursive: true, force: true });
});

describe("the production values with existingSecret and an external PostgreSQL", () => {
  it("bring every pod to Ready: two of each service, no in-cluster database", async () => {
    // the API and the dashboard have HorizontalPodAutoscalers (minReplicas 2): they scale the Deployments up
    await waitFor(
      "two Ready pods of each service",
      async () => {
        const list = await allPodsReady(release);
        const count = (c: string) => list.filter((p) => p.labels["app.kubernetes.io/component"] === c).length;
        return ["sso", "api", "web", "mcp"].every((c) => count(c) === 2);
      },
      { timeoutMs: 300_000, everyMs: 5_000 },
    );
    const statefulSets = await kubectlJson<{ items: unknown[] }>([
      "get",
      "statefulsets",
      "-n",
      release.namespace,
    ]);
    expect(statefulSets.items).toEqual([]);
  });

  it("creates no Secret of its own: every secret comes from the operator's", async () => {
    const secrets = await kubectlJson<{ items: { metadata: { name: string } }[] }>([
      "get",
      "secrets",
      "-n",
      release.namespace,
    ]);
    const names = secrets.items.map((s) => s.metadata.name).filter((n) => !n.startsWith("sh.helm.release"));
    expect(names.sort()).toEqual([
      "api-credentials",
      "mcp-credentials",
      "sso-credentials",
      "web-credentials",
    ]);
  });

  it("passes `helm test`", async () => {
    const output = await helmTest(release);
    expect(output.match(/Phase:\s+Succeeded/g)).toHaveLength(4);
  });
});
