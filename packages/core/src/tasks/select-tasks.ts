import type { Task } from "@taskflow/contracts";
import { eq, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { TaskflowExecutor } from "../db/database.ts";
import { tasks } from "../db/schema/tasks.ts";
import { workers } from "../db/schema/workers.ts";
import { toWorkerSummary } from "../workers/to-worker.ts";
import type { TaskRow } from "./authorize-task.ts";

const assignee = alias(workers, "assignee");
const creator = alias(workers, "creator");

/** The columns of a task with its assignee and creator, as every task read returns them. */
export const taskWithWorkers = {
  task: tasks,
  assignee: { id: assignee.id, kind: assignee.kind, handle: assignee.handle, name: assignee.name },
  creator: { id: creator.id, kind: creator.kind, handle: creator.handle, name: creator.name },
  dependsOn: sql<string[]>`coalesce((select array_agg(d.depends_on_id::text order by d.created_at)
    from task_dependencies d where d.task_id = ${tasks.id}), '{}'::text[])`.as("depends_on"),
  blockedBy: sql<string[]>`coalesce((select array_agg(d.depends_on_id::text order by d.created_at)
    from task_dependencies d join tasks dt on dt.id = d.depends_on_id
    where d.task_id = ${tasks.id} and dt.status <> 'completed'), '{}'::text[])`.as("blocked_by"),
};

/** Tasks joined with their assignee and creator; add `where`, `orderBy`, `limit`. */
export function selectTasks<Extra extends Record<string, SQL.Aliased>>(
  db: TaskflowExecutor,
  extra: Extra = {} as Extra,
) {
  return db
    .select({ ...taskWithWorkers, ...extra })
    .from(tasks)
    .innerJoin(creator, eq(creator.id, tasks.creatorId))
    .leftJoin(assignee, eq(assignee.id, tasks.assigneeId))
    .$dynamic();
}

export type TaskWithWorkers = {
  task: TaskRow;
  assignee: Parameters<typeof toWorkerSummary>[0] | null;
  creator: Parameters<typeof toWorkerSummary>[0];
  dependsOn: string[];
  blockedBy: string[];
};

export function toTask({ task, assignee, creator, dependsOn, blockedBy }: TaskWithWorkers): Task {
  return {
    id: task.id,
    projectId: task.projectId,
    parentId: task.parentId,
    title: task.title,
    description: task.description,
    status: task.status,
    priority: task.priority,
    progress: task.progress,
    tags: task.tags,
    dueAt: task.dueAt?.toISOString() ?? null,
    assignee: assignee ? toWorkerSummary(assignee) : null,
    creator: toWorkerSummary(creator),
    startedAt: task.startedAt?.toISOString() ?? null,
    completedAt: task.completedAt?.toISOString() ?? null,
    recurrence:
      task.recurrencePattern && task.seriesId
        ? {
            pattern: task.recurrencePattern,
            max: task.recurrenceMax,
            occurrence: task.occurrence,
            seriesId: task.seriesId,
          }
        : null,
    requiredCapabilities: task.requiredCapabilities,
    claim:
      task.claimedById && task.claimedAt && task.leaseExpiresAt
        ? {
            holderId: task.claimedById,
            claimedAt: task.claimedAt.toISOString(),
            leaseExpiresAt: task.leaseExpiresAt.toISOString(),
          }
        : null,
    stop: task.stopRequestedAt
      ? {
          requestedById: task.stopRequestedById,
          requestedAt: task.stopRequestedAt.toISOString(),
          reason: task.stopReason,
          acknowledgedAt: task.stopAcknowledgedAt?.toISOString() ?? null,
        }
      : null,
    delegatedById: task.delegatedById,
    dependsOn,
    blockedBy,
    version: task.version,
    createdAt: task.createdAt.toISOString(),
    updatedAt: task.updatedAt.toISOString(),
  };
}

/** One task as the API returns it (the caller has already checked access). */
export async function loadTask(db: TaskflowExecutor, taskId: string): Promise<Task> {
  const [row] = await selectTasks(db).where(eq(tasks.id, taskId));
  if (!row) throw new Error(`task ${taskId} vanished`);
  return toTask(row);
}
