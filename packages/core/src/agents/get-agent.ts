import type { Worker } from "@taskflow/contracts";
import type { Actor } from "../actor.ts";
import type { TaskflowDb } from "../db/database.ts";
import { toWorker } from "../workers/to-worker.ts";
import { authorizeAgentManagement } from "./authorize-agent-management.ts";
import { loadAgent } from "./load-agent.ts";

/**
 * One agent of the organization. A deleted agent is gone (404) like any deleted object; its row stays
 * only so the audit trail can name it (`GET /api/workers?includeDeleted=true`).
 */
export async function getAgent(db: TaskflowDb, actor: Actor, agentId: string): Promise<Worker> {
  authorizeAgentManagement(actor, "read");
  return toWorker(await loadAgent(db, actor, agentId));
}
