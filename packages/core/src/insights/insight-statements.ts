import { agentActivitySql, projectActivitySql } from "./agent-activity.ts";
import { cumulativeFlowSql } from "./cumulative-flow.ts";
import { cycleTimeSql, reviewTimeSql } from "./flow-times.ts";
import { throughputSql } from "./weekly-throughput.ts";

/**
 * Every statement the insights send, with the order of its parameters, for the bench that times them and
 * prints their plans (apps/api/bench/insights.bench.ts).
 */
export const insightStatements = {
  cumulativeFlow: { sql: cumulativeFlowSql, params: ["tenantId", "projectId", "start", "end"] },
  throughput: { sql: throughputSql, params: ["tenantId", "projectId", "weeksStart", "end"] },
  timeInReview: { sql: reviewTimeSql, params: ["tenantId", "projectId", "start", "end"] },
  cycleTime: { sql: cycleTimeSql, params: ["tenantId", "projectId", "start", "end"] },
  projectAgents: { sql: projectActivitySql, params: ["tenantId", "start", "end", "projectId"] },
  agentActivity: { sql: agentActivitySql, params: ["tenantId", "start", "end", "agentId"] },
} as const;
