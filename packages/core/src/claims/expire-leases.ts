import { and, eq, isNotNull, lte, sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { TaskflowDb } from "../db/database.ts";
import { tasks } from "../db/schema/tasks.ts";
import { noClaim } from "./lease.ts";

/**
 * Returns lapsed claims to the pool: a task in progress whose holder's lease ran out is unclaimed,
 * unassigned from the lapsed holder and pending again, with a system `lease.expired` audit row
 * each. Claims are held on tasks in progress only (claimAfterStatusChange ends one when the work is
 * handed in or stops), so handed-in work is never taken from its assignee; a lapsed claim found on
 * any other task (a row from before that rule) just ends, its assignee kept. Safe to run on every
 * replica at once (rows another sweeper holds are skipped). Returns how many expired.
 */
export async function expireLeases(db: TaskflowDb, now: Date = new Date(), batch = 100): Promise<number> {
  return db.transaction(async (tx) => {
    const lapsed = await tx
      .select()
      .from(tasks)
      .where(and(isNotNull(tasks.leaseExpiresAt), lte(tasks.leaseExpiresAt, now)))
      .limit(batch)
      .for("update", { skipLocked: true });
    for (const task of lapsed) {
      const working = task.status === "in_progress";
      const [returned] = await tx
        .update(tasks)
        .set({
          ...noClaim,
          assigneeId: working && task.assigneeId === task.claimedById ? null : task.assigneeId,
          status: working ? "pending" : task.status,
          version: sql`${tasks.version} + 1`,
          updatedAt: now,
        })
        .where(eq(tasks.id, task.id))
        .returning();
      await recordAudit(
        tx,
        { tenantId: task.tenantId, type: "system" },
        {
          entityType: "task",
          entityId: task.id,
          projectId: task.projectId,
          taskId: task.id,
          action: "lease.expired",
          before: task,
          after: returned,
        },
      );
    }
    return lapsed.length;
  });
}
