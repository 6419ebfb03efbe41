// `npm test`: lint and type-check, then every workspace's Vitest suites once on the embedded
// database (PGlite) and once more on the real PostgreSQL named by TEST_DATABASE_URL, and one
// closing line `N passed, N failed, N skipped` adding up every run.
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";

interface Pass {
  label: string;
  env: NodeJS.ProcessEnv;
  projects: string[];
}

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: {
    name: string;
    status: string;
    assertionResults: { fullName: string; status: string; failureMessages?: string[] }[];
    message?: string;
  }[];
}

const root = new URL("..", import.meta.url).pathname;
const inCi = process.env.CI === "true";
const totals = { passed: 0, failed: 0, skipped: 0 };
// CI keeps only the tail of the log, so the failures are named again just above the closing line.
const failures: string[] = [];

// Each step's time, printed when the next begins and again at the end (CI keeps only the tail of the log).
const stepTimes: string[] = [];
let currentStep: { title: string; startedAt: number } | undefined;
function step(title: string | undefined): void {
  if (currentStep) {
    const seconds = Math.round((performance.now() - currentStep.startedAt) / 1000);
    stepTimes.push(`${currentStep.title}: ${seconds}s`);
    process.stdout.write(`\n(${currentStep.title}: ${seconds}s)\n`);
  }
  currentStep = title === undefined ? undefined : { title, startedAt: performance.now() };
  if (title !== undefined) process.stdout.write(`\n=== ${title} ===\n`);
}

function firstLine(text: string | undefined): string {
  return (text ?? "").split("\n", 1)[0]?.slice(0, 300) ?? "";
}

/** Runs a command with its output on ours; resolves to its exit status. Never blocks: the cluster pass runs beside. */
function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  output: "inherit" | number = "inherit",
): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ["ignore", output, output], env });
    child.on("error", (error) => {
      process.stderr.write(`${command}: ${error.message}\n`);
      resolve(1);
    });
    child.on("close", (code) => resolve(code ?? 1));
  });
}

function helmAvailable(): boolean {
  const onPath = spawnSync("helm", ["version", "--short"], { stdio: "ignore" }).status === 0;
  return onPath || existsSync(join(homedir(), "go", "bin", "helm"));
}

function schemathesisAvailable(): boolean {
  const installed = join(homedir(), ".local", "bin", "schemathesis");
  const bin = process.env.SCHEMATHESIS_BIN ?? (existsSync(installed) ? installed : "schemathesis");
  return spawnSync(bin, ["--version"], { stdio: "ignore" }).status === 0;
}

const excluded: string[] = [];
if (!helmAvailable()) {
  if (inCi) {
    process.stdout.write("helm is required in CI: run scripts/install-chart-tools.sh\n");
    totals.failed += 1;
  } else {
    process.stdout.write(
      "note: the chart suite needs helm; scripts/install-chart-tools.sh installs it. Not run here.\n",
    );
  }
  excluded.push("!chart");
}

if (!schemathesisAvailable()) {
  if (inCi) {
    process.stdout.write("schemathesis is required in CI: run scripts/install-schemathesis.sh\n");
    totals.failed += 1;
  } else {
    process.stdout.write(
      "note: the API fuzz suite needs schemathesis; scripts/install-schemathesis.sh installs it. Not run here.\n",
    );
  }
  excluded.push("!api-fuzz");
}

// The cluster suite (project `cluster`, scripts/cluster/): the chart on a real Kubernetes cluster that
// scripts/cluster/up.sh starts (root; its binaries built by scripts/cluster/build.sh, about 20 min cold).
// TASKFLOW_CLUSTER_SUITE=required runs it and fails when it cannot (.ci/run sets it); `off` never runs it; unset,
// it runs where the cluster's binaries are built, outside CI.
const cluster = join(root, "scripts", "cluster");
const clusterSetting = process.env.TASKFLOW_CLUSTER_SUITE;
const clusterBuilt = () =>
  process.getuid?.() === 0 && spawnSync(join(cluster, "build.sh"), ["--check"]).status === 0;
const clusterWanted = clusterSetting === "required" || (clusterSetting !== "off" && !inCi && clusterBuilt());
if (!clusterWanted) {
  process.stdout.write(
    "note: the cluster suite runs with TASKFLOW_CLUSTER_SUITE=required, or where scripts/cluster/build.sh has built the cluster (root, outside CI). Not run here.\n",
  );
}
excluded.push("!cluster");

const withoutServer = { ...process.env };
delete withoutServer.TEST_DATABASE_URL;
const realServer = Boolean(process.env.TEST_DATABASE_URL);
const passes: Pass[] = [
  {
    label: "all suites on the embedded database (PGlite)",
    env: withoutServer,
    // `<name>-postgres` projects (`*.postgres.test.ts`) need a real server: the next pass only.
    // The fuzz suite (minutes) judges the HTTP contract, not the database: once is enough, on the real
    // server when there is one.
    projects: [...excluded, "!*-postgres", ...(realServer ? ["!api-fuzz"] : [])],
  },
];
if (realServer) {
  passes.push({
    label: "database suites on the real PostgreSQL server",
    env: process.env,
    // Only the suites that touch a database run again. The chart suite, the dashboard's unit tests and the packages
    // without a database (service-env, resource-auth) touch none; the browser suite brings its own embedded ones;
    // the entries' suite runs them under older Node.js releases: once is enough for each of them.
    projects: [
      ...new Set([...excluded, "!chart", "!web-e2e", "!scripts", "!web", "!service-env", "!resource-auth"]),
    ],
  });
} else {
  process.stdout.write(
    "note: TEST_DATABASE_URL is not set, so the real-PostgreSQL pass is not run (scripts/throwaway-postgres.sh starts one; .ci/run does).\n",
  );
}

const outDir = mkdtempSync(join(tmpdir(), "taskflow-tests-"));

// The cluster pass runs beside the others, from the start: it mostly waits (for the Go build .ci/run started, for
// pods to become Ready, for rolling upgrades), and run after them it would add its 25-40 minutes to CI's time.
// Its output goes to a file, printed whole after the other passes, so neither pass's log is cut into the other's.
let clusterPass: Promise<void> | undefined;
if (clusterWanted) {
  const label = "the chart on a real Kubernetes cluster (scripts/cluster)";
  const log = join(outDir, "cluster.log");
  // up.sh does nothing when a cluster already runs (a developer's): then it is left running afterwards.
  const startedHere = spawnSync(join(cluster, "run.sh"), ["true"], { stdio: "ignore" }).status !== 0;
  process.stdout.write(
    `\n=== ${label}: started beside the other passes; its output follows theirs (${log}) ===\n`,
  );
  const startedAt = performance.now();
  clusterPass = (async () => {
    const logFd = openSync(log, "w");
    const inLog = (command: string, args: string[]) => run(command, args, process.env, logFd);
    if ((await inLog(join(cluster, "up.sh"), [])) !== 0) {
      failures.push(`${label}: could not start (scripts/cluster/up.sh, in the log above)`);
      totals.failed += 1;
    } else {
      // inside the cluster's network, names resolved by its DNS
      const output = join(outDir, "cluster.json");
      const status = await inLog(join(cluster, "run.sh"), ["npx", ...vitestArgs(["cluster"], output)]);
      addResults(label, output, status);
    }
    if (startedHere) await inLog(join(cluster, "down.sh"), []);
    closeSync(logFd);
    const seconds = Math.round((performance.now() - startedAt) / 1000);
    stepTimes.push(`${label} (beside the others): ${seconds}s`);
  })();
}

step("lint (biome)");
if ((await run("npx", ["biome", "check", "."])) !== 0) totals.failed += 1;
step("type-check (tsc, every workspace)");
if ((await run("npm", ["run", "typecheck", "--silent"])) !== 0) totals.failed += 1;

for (const [index, pass] of passes.entries()) {
  step(pass.label);
  const output = join(outDir, `pass-${index}.json`);
  const status = await run("npx", vitestArgs(pass.projects, output), pass.env);
  addResults(pass.label, output, status);
}

if (clusterPass) {
  step("waiting for the cluster pass");
  await clusterPass;
  process.stdout.write(readFileSync(join(outDir, "cluster.log"), "utf8"));
}

function vitestArgs(projects: string[], output: string): string[] {
  const args = ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${output}`];
  for (const project of projects) args.push(`--project=${project}`);
  return args;
}

/** Adds one Vitest run's JSON report to the totals, naming each failure. */
function addResults(label: string, output: string, status: number): void {
  if (!existsSync(output)) {
    failures.push(`${label}: vitest produced no results (exit ${status})`);
    totals.failed += 1;
    return;
  }
  const report = JSON.parse(readFileSync(output, "utf8")) as VitestJson;
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + report.numTodoTests;
  // A file that fails to load has no test results of its own: count it, or it would vanish.
  const brokenFiles = report.testResults.filter(
    (f) => f.status === "failed" && f.assertionResults.length === 0,
  );
  totals.failed += brokenFiles.length;
  for (const file of report.testResults) {
    const where = file.name.startsWith(root) ? file.name.slice(root.length) : file.name;
    if (file.status === "failed" && file.assertionResults.length === 0) {
      failures.push(`${label}: ${where} did not load: ${firstLine(file.message)}`);
    }
    for (const test of file.assertionResults.filter((t) => t.status === "failed")) {
      failures.push(`${label}: ${where} > ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`);
    }
  }
  if (status !== 0 && report.numFailedTests === 0 && brokenFiles.length === 0) {
    failures.push(`${label}: vitest exited ${status} with no failed test`);
    totals.failed += 1;
  }
}

step(undefined);
process.stdout.write(`\n${stepTimes.map((t) => `  ${t}`).join("\n")}\n`);
if (failures.length > 0) {
  step(`${failures.length} failed`);
  for (const failure of failures) process.stdout.write(`FAILED ${failure}\n`);
}
const summary = `${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`;
if (process.env.TASKFLOW_TEST_SUMMARY) writeFileSync(process.env.TASKFLOW_TEST_SUMMARY, `${summary}\n`);
process.stdout.write(`\n${summary}\n`);
process.exit(totals.failed > 0 ? 1 : 0);
