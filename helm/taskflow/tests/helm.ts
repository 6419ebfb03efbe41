// Runs the real chart tools (helm 4, kube-score, checkov). They are installed by scripts/install-chart-tools.sh;
// when one is missing the tests fail with a message saying so (they never skip silently).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { parseAllDocuments } from "yaml";
import { chartDir } from "./values-docs.ts";

export { chartDir };
export const repoRoot = join(chartDir, "..", "..");

/** Absolute path of a tool found on PATH, in ~/go/bin or in ~/.local/bin; throws a clear error otherwise. */
export function tool(name: "helm" | "kube-score" | "checkov"): string {
  const dirs = [
    // biome-ignore lint/style/noProcessEnv: finding the chart tools on PATH is the point here
    ...(process.env.PATH ?? "").split(delimiter),
    join(homedir(), "go", "bin"),
    join(homedir(), ".local", "bin"),
  ];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  throw new Error(
    `${name} is not installed (looked on PATH, in ~/go/bin and ~/.local/bin). ` +
      "Run scripts/install-chart-tools.sh to install helm 4, kube-score and checkov.",
  );
}

export interface HelmResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function helm(args: string[]): HelmResult {
  const result = spawnSync(tool("helm"), args, {
    cwd: repoRoot,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Flags giving every production secret (values-prod.yaml refuses to render without them). */
export const prodSecrets: string[] = [
  "--set-string",
  "sso.env.BETTER_AUTH_SECRET=0123456789abcdefghijklmnopqrstuvwxyzABCD",
  "--set-string",
  "sso.env.ADMIN_PASSWORD=a-long-admin-password-4-tests",
  "--set-string",
  "sso.smtp.password=smtp-password-for-tests",
  "--set-string",
  "global.dashboardClient.secret=dashboard-client-secret-0123456789abcdef",
  "--set-string",
  "web.env.SESSION_SECRET=session-secret-0123456789abcdefghijklmnop",
  "--set-string",
  "api.env.NOTIFICATION_SECRET=notification-secret-0123456789abcdefghij",
  "--set-string",
  "sso.postgresql.password=sso-db-password-0123",
  "--set-string",
  "api.postgresql.password=api-db-password-0123",
];

/** The value sets every check runs against. */
export const valueSets: Record<string, string[]> = {
  default: [],
  dev: ["-f", join(chartDir, "values-dev.yaml")],
  prod: ["-f", join(chartDir, "values-prod.yaml"), ...prodSecrets],
};

export const release = ["taskflow", chartDir, "--namespace", "taskflow"];

export function template(extra: string[]): string {
  const result = helm(["template", ...release, ...extra]);
  if (result.status !== 0) throw new Error(`helm template failed:\n${result.stderr}`);
  return result.stdout;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [key: string]: unknown;
}

export function parseObjects(manifest: string): K8sObject[] {
  return parseAllDocuments(manifest)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`rendered YAML does not parse: ${doc.errors[0]?.message}`);
      return doc.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null);
}

export function writeTemp(name: string, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), "taskflow-chart-"));
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

export function run(cmd: string, args: string[], cwd?: string, env?: NodeJS.ProcessEnv): HelmResult {
  const result = spawnSync(cmd, args, {
    cwd: cwd ?? repoRoot,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    ...(env ? { env } : {}),
  });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export { execFileSync };
