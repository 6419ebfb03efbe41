import { randomUUID } from "node:crypto";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { TaskflowTx } from "../db/database.ts";
import { type RecurrencePattern, type TaskPriority, tasks } from "../db/schema/tasks.ts";
import { notifyAssignee } from "../notifications/task-notifications.ts";
import { dispatchAssignedAgent } from "../runs/dispatch-hooks.ts";
import type { TaskRow } from "./authorize-task.ts";

/** Sorting by priority is sorting by this rank (the `priority_rank` column). */
export const priorityRank: Record<TaskPriority, number> = { low: 1, medium: 2, high: 3, critical: 4 };

export interface NewTask {
  tenantId: string;
  projectId: string;
  parentId: string | null;
  title: string;
  description: string;
  priority: TaskPriority;
  tags: string[];
  dueAt: Date | null;
  assigneeId: string | null;
  creatorId: string;
  recurrence: { pattern: RecurrencePattern; max: number | null } | null;
  /** Capabilities an agent needs to claim it. */
  requiredCapabilities?: string[];
  /** The agent that delegated this subtask to its assignee. */
  delegatedById?: string | null;
  /** For the next occurrence of a series: its place and the series it continues. */
  occurrence?: number;
  seriesId?: string;
}

/**
 * Inserts a task and its audit row (`task.created`, or `task.recurred` for a series' next
 * occurrence). The first task of a recurring series is the series' id. create-task-statement.ts writes a
 * top-level, unassigned task without it, in one statement: anything added here must be added there too
 * (or that path narrowed), or such tasks would miss it.
 */
export async function insertTask(
  tx: TaskflowTx,
  actor: Actor,
  input: NewTask,
  action: "task.created" | "task.recurred" = "task.created",
): Promise<TaskRow> {
  const [task] = await tx.insert(tasks).values(newTaskRow(randomUUID(), input)).returning();
  if (!task) throw new Error("insert returned no task");
  await recordAudit(tx, actor, {
    entityType: "task",
    entityId: task.id,
    projectId: task.projectId,
    taskId: task.id,
    action,
    after: task,
  });
  await notifyAssignee(tx, actor, task, null);
  await dispatchAssignedAgent(tx, actor, task, null);
  return task;
}

/**
 * The row a new task is inserted as: every column insertTask and the one-statement create
 * (create-task-statement.ts) write, so both store the same task.
 */
export function newTaskRow(id: string, input: NewTask) {
  return {
    id,
    tenantId: input.tenantId,
    projectId: input.projectId,
    parentId: input.parentId,
    title: input.title,
    description: input.description,
    priority: input.priority,
    priorityRank: priorityRank[input.priority],
    tags: dedupe(input.tags),
    dueAt: input.dueAt,
    assigneeId: input.assigneeId,
    creatorId: input.creatorId,
    recurrencePattern: input.recurrence?.pattern ?? null,
    recurrenceMax: input.recurrence?.max ?? null,
    occurrence: input.occurrence ?? 1,
    seriesId: input.recurrence ? (input.seriesId ?? id) : null,
    requiredCapabilities: dedupe(input.requiredCapabilities ?? []),
    delegatedById: input.delegatedById ?? null,
  } satisfies typeof tasks.$inferInsert;
}

export function dedupe(tags: string[]): string[] {
  return [...new Set(tags)];
}
