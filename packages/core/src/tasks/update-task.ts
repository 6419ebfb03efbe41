import type { Task, TaskUpdate } from "@taskflow/contracts";
import { eq, sql } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { TaskflowDb } from "../db/database.ts";
import { tasks } from "../db/schema/tasks.ts";
import { authorizeTask, type TaskAccessOptions } from "./authorize-task.ts";
import { parseDateInput } from "./due-date.ts";
import { dedupe, priorityRank } from "./insert-task.ts";
import { loadTask } from "./select-tasks.ts";

/**
 * Changes a task's title, description, priority, tags, due date, recurrence or required
 * capabilities. Status, progress and assignee have their own verbs. Making a task recurring starts a series at it; `null` ends it.
 */
export async function updateTask(
  db: TaskflowDb,
  actor: Actor,
  taskId: string,
  changes: TaskUpdate,
  options: Pick<TaskAccessOptions, "expectedVersion"> = {},
): Promise<Task> {
  return db.transaction(async (tx) => {
    const { task } = await authorizeTask(tx, actor, taskId, "task.work", { ...options, forUpdate: true });
    const { recurrence, dueAt, priority, tags, requiredCapabilities, ...plain } = changes;
    const [updated] = await tx
      .update(tasks)
      .set({
        ...plain,
        ...(priority ? { priority, priorityRank: priorityRank[priority] } : {}),
        ...(tags ? { tags: dedupe(tags) } : {}),
        ...(requiredCapabilities ? { requiredCapabilities: dedupe(requiredCapabilities) } : {}),
        ...(dueAt !== undefined
          ? { dueAt: dueAt === null ? null : parseDateInput(dueAt, "body.dueAt") }
          : {}),
        ...(recurrence === null ? { recurrencePattern: null, recurrenceMax: null } : {}),
        ...(recurrence
          ? {
              recurrencePattern: recurrence.pattern,
              recurrenceMax: recurrence.max,
              seriesId: task.seriesId ?? task.id,
            }
          : {}),
        version: sql`${tasks.version} + 1`,
        updatedAt: new Date(),
      })
      .where(eq(tasks.id, taskId))
      .returning();
    await recordAudit(tx, actor, {
      entityType: "task",
      entityId: taskId,
      projectId: task.projectId,
      taskId,
      action: "task.updated",
      before: task,
      after: updated,
    });
    return loadTask(tx, taskId);
  });
}
