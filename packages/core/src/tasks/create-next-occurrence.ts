import { and, eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import type { TaskflowTx } from "../db/database.ts";
import { tasks } from "../db/schema/tasks.ts";
import type { TaskRow } from "./authorize-task.ts";
import { isStorableDueDate } from "./due-date.ts";
import { insertTask } from "./insert-task.ts";
import { nextDueDate } from "./next-due-date.ts";

/**
 * Completing a recurring task creates its next occurrence: the same fields, pending, progress 0,
 * due one step of the pattern after the completed one's due date (or, without one, after its
 * completion), occurrence + 1, until the series has `max` occurrences (or its next due date
 * would pass the year 9999). Audited as `task.recurred`
 * by whoever completed the task. Reopening and completing again creates nothing new: a series has
 * one task per occurrence.
 */
export async function createNextOccurrence(
  tx: TaskflowTx,
  actor: Actor,
  completed: TaskRow,
): Promise<TaskRow | null> {
  const pattern = completed.recurrencePattern;
  if (!pattern || !completed.seriesId) return null;
  const occurrence = completed.occurrence + 1;
  if (completed.recurrenceMax !== null && occurrence > completed.recurrenceMax) return null;
  const [existing] = await tx
    .select({ id: tasks.id })
    .from(tasks)
    .where(and(eq(tasks.seriesId, completed.seriesId), eq(tasks.occurrence, occurrence)));
  if (existing) return null;
  // A series whose next step would leave the years a due date may have simply ends.
  const dueAt = nextDueDate(pattern, completed.dueAt ?? completed.completedAt ?? new Date());
  if (!isStorableDueDate(dueAt)) return null;
  return insertTask(
    tx,
    actor,
    {
      tenantId: completed.tenantId,
      projectId: completed.projectId,
      parentId: completed.parentId,
      title: completed.title,
      description: completed.description,
      priority: completed.priority,
      tags: completed.tags,
      dueAt,
      assigneeId: completed.assigneeId,
      creatorId: completed.creatorId,
      recurrence: { pattern, max: completed.recurrenceMax },
      requiredCapabilities: completed.requiredCapabilities,
      // The same hand-off, continued: the link stays in the chain, so a series cannot shorten it.
      delegatedById: completed.delegatedById,
      occurrence,
      seriesId: completed.seriesId,
    },
    "task.recurred",
  );
}
