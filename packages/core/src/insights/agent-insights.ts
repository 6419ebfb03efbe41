import type { AgentInsights, InsightsQuery } from "@taskflow/contracts";
import type { Actor } from "../actor.ts";
import { authorizeAgentManagement } from "../agents/authorize-agent-management.ts";
import { loadAgent } from "../agents/load-agent.ts";
import type { TaskflowDb } from "../db/database.ts";
import { agentActivity, agentWeeks, emptyActivity } from "./agent-activity.ts";
import { resolveInsightWindow } from "./insight-window.ts";

/**
 * What one agent did across its organization's projects. Whoever may see the agent (GET /api/agents/{id}:
 * the organization's owners and admins, who also oversee every project) may see this; an agent of
 * another organization, or a deleted one, is not found.
 */
export async function getAgentInsights(
  db: TaskflowDb,
  actor: Actor,
  agentId: string,
  query: Partial<InsightsQuery>,
  now: Date = new Date(),
): Promise<AgentInsights> {
  authorizeAgentManagement(actor, "read");
  const agent = await loadAgent(db, actor, agentId);
  const window = resolveInsightWindow(query, now);
  const [activity] = await agentActivity(db, actor.tenantId, { agentId }, window.start, window.end);
  const weekly = await agentWeeks(db, actor.tenantId, agentId, window.weekStarts, window.end);
  return {
    from: window.from,
    to: window.to,
    activity: activity ?? emptyActivity({ agentId, handle: agent.handle, name: agent.name }),
    weekly,
  };
}
