import { and, asc, inArray, lt } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { TaskflowDb } from "../db/database.ts";
import { agentRuns } from "../db/schema/runs.ts";

/** How long a pending or active run may go without activity before it is marked stale, unless configured (RUN_STALE_SECONDS). */
export const defaultRunStaleSeconds = 1_800;

/**
 * Marks `stale` the pending and active runs with no activity for `staleSeconds`: a dispatch nobody took up, an
 * agent that went quiet. Each is audited by the system (`run.stale`), so the task's and agent's pages show it
 * live. A run awaiting input waits for people, not the agent, and is left alone; the next activity sets the state
 * again. Replicas may sweep at once: rows another holds are skipped. Returns how many it marked.
 */
export async function markStaleRuns(
  db: TaskflowDb,
  staleSeconds: number,
  now: Date = new Date(),
): Promise<number> {
  const before = new Date(now.getTime() - staleSeconds * 1000);
  let marked = 0;
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      const due = await tx
        .select({ id: agentRuns.id })
        .from(agentRuns)
        .where(and(inArray(agentRuns.state, ["pending", "active"]), lt(agentRuns.lastActivityAt, before)))
        .orderBy(asc(agentRuns.lastActivityAt))
        .limit(200)
        .for("update", { skipLocked: true });
      if (due.length === 0) return 0;
      const stale = await tx
        .update(agentRuns)
        .set({ state: "stale", updatedAt: now })
        .where(
          inArray(
            agentRuns.id,
            due.map((row) => row.id),
          ),
        )
        .returning();
      for (const run of stale) {
        await recordAudit(
          tx,
          { tenantId: run.tenantId, type: "system" },
          {
            entityType: "run",
            entityId: run.id,
            projectId: run.projectId,
            taskId: run.taskId,
            action: "run.stale",
            after: {
              runId: run.id,
              agentId: run.agentId,
              state: "stale",
              lastActivityAt: run.lastActivityAt,
            },
          },
        );
      }
      return stale.length;
    });
    marked += batch;
    if (batch < 200) return marked;
  }
}

/** Runs markStaleRuns every `intervalMs` (a minute, or less for short settings) until stopped. */
export function startStaleRunSweeper(
  db: TaskflowDb,
  options: { staleSeconds: number; intervalMs?: number; onError?: (error: unknown) => void },
) {
  let running: Promise<unknown> = Promise.resolve();
  const intervalMs =
    options.intervalMs ?? Math.min(60_000, Math.max(1_000, (options.staleSeconds * 1000) / 4));
  const timer = setInterval(() => {
    running = markStaleRuns(db, options.staleSeconds).catch((error: unknown) => options.onError?.(error));
  }, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
