import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";

/** Where scripts/install-schemathesis.sh puts the CLI, or `SCHEMATHESIS_BIN`, or the PATH. */
export function schemathesisBinary(): string | undefined {
  const candidates = [
    process.env.SCHEMATHESIS_BIN,
    join(homedir(), ".local", "bin", "schemathesis"),
    "schemathesis",
  ].filter((c): c is string => Boolean(c));
  for (const candidate of candidates) {
    if (candidate.includes("/") && !existsSync(candidate)) continue;
    if (spawnSync(candidate, ["--version"], { stdio: "ignore" }).status === 0) return candidate;
  }
  return undefined;
}

/** One block of per-operation settings: which operations, and fixed values for their parameters. */
export interface OperationParameters {
  method?: string;
  pathRegex: string;
  parameters: Record<string, string>;
}

export interface FuzzRun {
  label: string;
  baseUrl: string;
  /** The `Authorization` header every request carries. */
  authorization: string;
  /** Fixed path parameters (seeded ids); not for the stateful phase, whose links bring their own. */
  operations: OperationParameters[];
  /** Which of examples, coverage, fuzzing, stateful. */
  phases: string[];
  /** Time budget of the whole run (schemathesis' --max-time). */
  maxTimeSeconds: number;
  maxExamples: number;
  seed?: number;
}

export interface FuzzReport {
  label: string;
  exitCode: number;
  testCases: number;
  /** Operations tested of those in the document. */
  operations: { total: number; tested: number };
  failures: { code: string; title: string; count: number; operations: string[] }[];
  errors: unknown[];
  stopReason: string;
  runningTime: number;
  /** What schemathesis printed (its failure report, with a curl line for each case). */
  output: string;
}

const toml = (value: string) => JSON.stringify(value);

/**
 * Every check schemathesis has, with two judgements about what "valid data" may be refused:
 * the API answers 412 to a stale `If-Match` and 422 to a well-formed reference it cannot apply (an id
 * that is not a member, a host that does not resolve, a cursor it never handed out); those are documented
 * answers that no schema can predict. 400 stays a failure: a schema-valid request never gets one.
 */
function configFile(run: FuzzRun): string {
  const lines = [
    `max-time = ${run.maxTimeSeconds}`,
    `request-timeout = 10`,
    // One worker: with two threads, CPython 3.11 sometimes fails compiling schemathesis' own
    // generated code ("AST constructor recursion depth mismatch"), an error of the tool, not the API.
    `workers = 1`,
    ...(run.seed !== undefined ? [`seed = ${run.seed}`] : []),
    `headers = { Authorization = ${toml(run.authorization)} }`,
    "",
    "[generation]",
    `max-examples = ${run.maxExamples}`,
    "",
    "[checks]",
    `positive_data_acceptance = { expected-statuses = ["2xx", "3xx", 401, 403, 404, 409, 412, 422, 429] }`,
    "",
    "[phases.stateful]",
    `max-steps = 20`,
    `inference = { algorithms = ["location-headers", "dependency-analysis"] }`,
    "",
  ];
  // The event streams (a project's, a run's, the inbox) never end: one event is enough to judge, and a stream
  // with nothing to replay should not hold a worker for long.
  lines.push(
    "[[operations]]",
    `include-path-regex = "/events$"`,
    `max-stream-events = 1`,
    `request-timeout = 3`,
    "",
  );
  for (const op of run.operations) {
    lines.push("[[operations]]");
    lines.push(`include-path-regex = ${toml(op.pathRegex)}`);
    if (op.method) lines.push(`include-method = ${toml(op.method)}`);
    const params = Object.entries(op.parameters)
      .map(([k, v]) => `${toml(k)} = ${toml(v)}`)
      .join(", ");
    lines.push(`parameters = { ${params} }`);
    lines.push("");
  }
  return lines.join("\n");
}

/**
 * The stateful run's hooks (Python, beside this file): a fresh Idempotency-Key per step, and a
 * well-formed id where a link followed a null field.
 */
const statefulHooks = {
  SCHEMATHESIS_HOOKS: "stateful_steps",
  PYTHONPATH: new URL("./schemathesis-hooks", import.meta.url).pathname,
};

/** Runs `schemathesis run` against the API's /openapi.json; resolves with its JSON report. */
export async function runSchemathesis(binary: string, run: FuzzRun): Promise<FuzzReport> {
  const dir = mkdtempSync(join(tmpdir(), `schemathesis-${run.label}-`));
  const config = join(dir, "schemathesis.toml");
  writeFileSync(config, configFile(run));
  const args = [
    "--config-file",
    config,
    "run",
    `${run.baseUrl}/openapi.json`,
    "--checks",
    "all",
    "--phases",
    run.phases.join(","),
    "--no-color",
    "--report",
    "json",
    "--report-dir",
    dir,
  ];
  let output = "";
  const exitCode = await new Promise<number>((resolve, reject) => {
    const child = spawn(binary, args, {
      cwd: dir,
      env: {
        ...process.env,
        NO_COLOR: "1",
        SCHEMATHESIS_TELEMETRY: "false",
        ...(run.phases.includes("stateful") ? statefulHooks : {}),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("error", reject);
    child.once("close", (code) => resolve(code ?? 1));
  });
  const reportFile = readdirSync(dir).find((f) => f.startsWith("json-") && f.endsWith(".json"));
  if (!reportFile) throw new Error(`schemathesis wrote no report (exit ${exitCode}):\n${output}`);
  const report = JSON.parse(readFileSync(join(dir, reportFile), "utf8")) as {
    exit_code: number;
    stop_reason: string;
    running_time: number;
    test_cases: { generated: number };
    operations: { total: number; tested: number };
    failures: FuzzReport["failures"];
    errors: unknown[];
  };
  return {
    label: run.label,
    exitCode,
    testCases: report.test_cases.generated,
    operations: { total: report.operations.total, tested: report.operations.tested },
    failures: report.failures,
    errors: report.errors,
    stopReason: report.stop_reason,
    runningTime: report.running_time,
    output,
  };
}
