import type { Worker } from "@taskflow/contracts";
import type { Actor } from "../actor.ts";
import type { TaskflowDb } from "../db/database.ts";
import { listWorkers } from "../workers/list-workers.ts";
import { authorizeAgentManagement } from "./authorize-agent-management.ts";

/** The organization's agents (deleted ones left out), by handle. */
export async function listAgents(db: TaskflowDb, actor: Actor): Promise<Worker[]> {
  authorizeAgentManagement(actor, "read");
  return listWorkers(db, actor, { type: "agent" });
}
