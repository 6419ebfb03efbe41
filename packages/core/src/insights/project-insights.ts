import type { InsightsQuery, ProjectInsights } from "@taskflow/contracts";
import type { Actor } from "../actor.ts";
import { authorizeProject } from "../authorization/project-access.ts";
import type { TaskflowDb } from "../db/database.ts";
import { agentActivity } from "./agent-activity.ts";
import { cumulativeFlow } from "./cumulative-flow.ts";
import { flowTimes } from "./flow-times.ts";
import { resolveInsightWindow } from "./insight-window.ts";
import { weeklyThroughput } from "./weekly-throughput.ts";

/**
 * A project's insights, drawn from its audit trail: so whoever may read the trail (`audit.read`, the
 * same decision as GET /api/projects/{id}/audit) may read them, and nobody else learns the project exists.
 */
export async function getProjectInsights(
  db: TaskflowDb,
  actor: Actor,
  projectId: string,
  query: Partial<InsightsQuery>,
  now: Date = new Date(),
): Promise<ProjectInsights> {
  await authorizeProject(db, actor, projectId, "audit.read");
  const window = resolveInsightWindow(query, now);
  const tenantId = actor.tenantId;
  const cumulative = await cumulativeFlow(db, tenantId, projectId, window);
  const throughput = await weeklyThroughput(db, tenantId, projectId, window);
  const times = await flowTimes(db, tenantId, projectId, window);
  const agents = await agentActivity(db, tenantId, { projectId }, window.start, window.end);
  return {
    projectId,
    from: window.from,
    to: window.to,
    cumulativeFlow: cumulative,
    throughput,
    ...times,
    agents,
  };
}
