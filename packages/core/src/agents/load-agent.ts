import { and, eq, isNull } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import type { TaskflowExecutor } from "../db/database.ts";
import { workers } from "../db/schema/workers.ts";
import { notFound } from "../errors.ts";
import type { WorkerRow } from "../workers/to-worker.ts";

/** A live (not deleted) agent of the caller's organization, or 404. */
export async function loadAgent(
  tx: TaskflowExecutor,
  actor: Actor,
  agentId: string,
  options: { forUpdate?: boolean } = {},
): Promise<WorkerRow> {
  const query = tx
    .select()
    .from(workers)
    .where(
      and(
        eq(workers.id, agentId),
        eq(workers.tenantId, actor.tenantId),
        eq(workers.kind, "agent"),
        isNull(workers.deletedAt),
      ),
    );
  const [row] = options.forUpdate ? await query.for("update") : await query;
  if (!row) throw notFound("agent");
  return row;
}
