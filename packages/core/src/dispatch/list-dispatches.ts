import { desc, eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import type { TaskflowDb } from "../db/database.ts";
import { agentDispatches } from "../db/schema/runs.ts";
import { authorizeAgentEndpoint } from "./agent-endpoints.ts";

type DispatchRow = typeof agentDispatches.$inferSelect;

export interface AgentDispatch {
  id: string;
  runId: string;
  reason: DispatchRow["reason"];
  status: DispatchRow["status"];
  attempts: number;
  nextAttemptAt: string;
  lastStatusCode: number | null;
  lastError: string | null;
  lastDurationMs: number | null;
  createdAt: string;
  deliveredAt: string | null;
}

/** An agent's dispatch log, newest first: who may see its endpoint may see what was sent there and how it went. */
export async function listAgentDispatches(
  db: TaskflowDb,
  actor: Actor,
  agentId: string,
  limit: number,
): Promise<AgentDispatch[]> {
  await authorizeAgentEndpoint(db, actor, agentId, "read");
  const rows = await db
    .select()
    .from(agentDispatches)
    .where(eq(agentDispatches.agentId, agentId))
    .orderBy(desc(agentDispatches.id))
    .limit(limit);
  return rows.map((row) => ({
    id: String(row.id),
    runId: row.runId,
    reason: row.reason,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt.toISOString(),
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    lastDurationMs: row.lastDurationMs,
    createdAt: row.createdAt.toISOString(),
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
  }));
}
