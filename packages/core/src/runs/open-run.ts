import { and, eq, notInArray, sql } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { TaskflowTx } from "../db/database.ts";
import { agentRuns, type RunOrigin, type RunState } from "../db/schema/runs.ts";
import type { TaskRow } from "../tasks/authorize-task.ts";
import type { RunRow } from "./select-runs.ts";

/**
 * The agent's open run on the task (not completed or stopped), or a new one: a claim, an assignment, a mention or
 * a prompt takes up the run that is open rather than starting another (at most one is open per task and agent:
 * agent_runs_open_uq). A new run is audited (`run.opened`, announced to the project's streams). `state` is the
 * new run's; an open run is left as its last activity made it, except that a claim makes a pending or stale run
 * active (the agent took the work up).
 */
export async function openRun(
  tx: TaskflowTx,
  actor: Actor,
  task: Pick<TaskRow, "id" | "projectId" | "tenantId">,
  agentId: string,
  origin: RunOrigin,
  now: Date = new Date(),
): Promise<{ run: RunRow; opened: boolean }> {
  const state: RunState = origin === "claim" || origin === "work" ? "active" : "pending";
  const [inserted] = await tx
    .insert(agentRuns)
    .values({
      tenantId: task.tenantId,
      projectId: task.projectId,
      taskId: task.id,
      agentId,
      state,
      origin,
      openedById: actor.workerId,
      lastActivityAt: now,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing({
      target: [agentRuns.taskId, agentRuns.agentId],
      where: sql`${agentRuns.state} not in ('completed', 'stopped')`,
    })
    .returning();
  if (inserted) {
    await recordAudit(tx, actor, {
      entityType: "run",
      entityId: inserted.id,
      projectId: task.projectId,
      taskId: task.id,
      action: "run.opened",
      after: { runId: inserted.id, agentId, origin, state },
    });
    return { run: inserted, opened: true };
  }
  const open = and(
    eq(agentRuns.taskId, task.id),
    eq(agentRuns.agentId, agentId),
    notInArray(agentRuns.state, ["completed", "stopped"]),
  );
  const [existing] = await tx.select().from(agentRuns).where(open).for("update");
  if (!existing) throw new Error("the open run vanished");
  if (origin === "claim" && (existing.state === "pending" || existing.state === "stale")) {
    const [taken] = await tx
      .update(agentRuns)
      .set({ state: "active", lastActivityAt: now, updatedAt: now })
      .where(eq(agentRuns.id, existing.id))
      .returning();
    await recordAudit(tx, actor, {
      entityType: "run",
      entityId: existing.id,
      projectId: task.projectId,
      taskId: task.id,
      action: "run.taken_up",
      before: { state: existing.state },
      after: { runId: existing.id, state: "active" },
    });
    return { run: taken ?? existing, opened: false };
  }
  return { run: existing, opened: false };
}

/** The agent's open run on a task, if any (no lock). */
export async function findOpenRun(
  tx: TaskflowTx,
  taskId: string,
  agentId: string,
): Promise<RunRow | undefined> {
  const [run] = await tx
    .select()
    .from(agentRuns)
    .where(
      and(
        eq(agentRuns.taskId, taskId),
        eq(agentRuns.agentId, agentId),
        notInArray(agentRuns.state, ["completed", "stopped"]),
      ),
    );
  return run;
}
