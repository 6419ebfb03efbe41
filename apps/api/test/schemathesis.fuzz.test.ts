import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFuzzTarget } from "./support/fuzz-target.ts";
import {
  type FuzzReport,
  type OperationParameters,
  runSchemathesis,
  schemathesisBinary,
} from "./support/schemathesis.ts";

// Hostile input generated from the published contract (schemathesis, PyPI), with real credentials:
// every check it has (no 5xx, responses and headers as documented, 4xx as problem+json, schema-valid
// requests accepted and schema-violating ones refused, 405 with Allow for undeclared methods), its
// examples, coverage, fuzzing and stateful phases (links inferred from the schema and Location
// headers). scripts/install-schemathesis.sh installs it; scripts/run-tests.ts runs this project only
// where it is installed, and requires it in CI. FUZZ_SECONDS (default 45) is the time budget of each
// of the four runs.
const budget = Number(process.env.FUZZ_SECONDS ?? 45);
const binary = schemathesisBinary();
if (!binary) throw new Error("schemathesis is not installed: run scripts/install-schemathesis.sh");

function summary(report: FuzzReport): string {
  const failures = report.failures.map(
    (f) => `${f.code} ${f.title} ×${f.count} (${f.operations.join(", ")})`,
  );
  return [
    `${report.label}: ${report.testCases} test cases, ${report.operations.tested}/${report.operations.total} operations, ` +
      `${Math.round(report.runningTime)} s (${report.stopReason}), exit ${report.exitCode}`,
    ...failures,
  ].join("\n  ");
}

describe("the API under schemathesis", () => {
  let target: Awaited<ReturnType<typeof startFuzzTarget>>;
  let requestsBefore = 0;

  beforeAll(async () => {
    target = await startFuzzTarget();
  });
  afterAll(async () => {
    await target?.close();
  });

  /** Requests the server answered so far, from its own metrics. */
  async function requestsServed(): Promise<number> {
    const text = await (await fetch(`${target.baseUrl}/metrics`)).text();
    return text
      .split("\n")
      .filter((line) => line.startsWith("taskflow_http_requests_total{"))
      .reduce((sum, line) => sum + Number(line.split(" ").at(-1)), 0);
  }

  /** Seeded ids for the path parameters, victims for what destroys. */
  function operations(): OperationParameters[] {
    const v = target.victims;
    const window = { from: "2026-11-01", to: "2026-11-30" };
    return [
      // An insights window's two ends are bound to each other (`from` not after `to`, at most 366 days apart), a
      // rule between parameters that OpenAPI cannot state: the fuzzer gets a valid window (placed before the
      // broader path entries below), and insights.integration and insights-window.security test the refusals.
      {
        pathRegex: "^/api/projects/\\{id\\}/insights$",
        parameters: { id: target.projectId, ...window },
      },
      { pathRegex: "^/api/agents/\\{id\\}/insights$", parameters: { id: target.agentId, ...window } },
      { method: "DELETE", pathRegex: "^/api/projects/\\{id\\}$", parameters: { id: v.projectId } },
      {
        method: "DELETE",
        pathRegex: "^/api/agents/\\{id\\}",
        parameters: { id: v.agentId, keyId: v.agentKeyId },
      },
      { method: "POST", pathRegex: "^/api/agents/\\{id\\}/keys$", parameters: { id: v.agentId } },
      {
        method: "DELETE",
        pathRegex: "^/api/projects/\\{id\\}/members/",
        parameters: { id: target.projectId, workerId: v.memberId },
      },
      {
        method: "DELETE",
        pathRegex: "^/api/projects/\\{id\\}/webhooks/",
        parameters: { id: target.projectId, webhookId: v.webhookId },
      },
      { method: "DELETE", pathRegex: "^/api/tasks/\\{id\\}$", parameters: { id: v.taskId } },
      {
        pathRegex: "^/api/projects/\\{id\\}",
        parameters: { id: target.projectId, webhookId: target.webhookId, workerId: target.agentId },
      },
      {
        pathRegex: "^/api/tasks/\\{id\\}",
        parameters: { id: target.taskId, dependsOnId: target.otherTaskId },
      },
      { pathRegex: "^/api/agents/\\{id\\}", parameters: { id: target.agentId, keyId: target.agentKeyId } },
      { pathRegex: "^/api/notifications/\\{id\\}", parameters: { id: target.notificationId } },
    ];
  }

  const runs = [
    {
      phases: ["examples", "coverage", "fuzzing"],
      what: "requests generated from each operation",
      ids: true,
    },
    { phases: ["stateful"], what: "sequences linked by the ids answers return", ids: false },
  ];
  for (const who of ["agent", "person"] as const) {
    for (const run of runs) {
      it(
        `${run.what} (${who}): no server error, no answer outside the contract, every 4xx problem+json`,
        async () => {
          requestsBefore = await requestsServed();
          const report = await runSchemathesis(binary, {
            label: `${who} ${run.phases.join("+")}`,
            baseUrl: target.baseUrl,
            authorization: `Bearer ${who === "person" ? target.ownerToken : target.agentKey}`,
            operations: run.ids ? operations() : [],
            phases: run.phases,
            maxTimeSeconds: budget,
            maxExamples: 25,
          });
          const requests = (await requestsServed()) - requestsBefore;
          process.stdout.write(`schemathesis ${summary(report)}\n  requests served: ${requests}\n`);
          expect(report.errors, report.output).toEqual([]);
          expect(report.failures, report.output).toEqual([]);
          expect(report.exitCode, report.output).toBe(0);
          expect(report.testCases).toBeGreaterThan(50);
        },
        (budget + 120) * 1000,
      );
    }
  }
});
