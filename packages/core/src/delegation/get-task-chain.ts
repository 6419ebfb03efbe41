import type { TaskChainLink } from "@taskflow/contracts";
import { eq, inArray } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Actor } from "../actor.ts";
import type { TaskflowDb } from "../db/database.ts";
import { tasks } from "../db/schema/tasks.ts";
import { workers } from "../db/schema/workers.ts";
import { authorizeTask } from "../tasks/authorize-task.ts";
import { toWorkerSummary } from "../workers/to-worker.ts";
import { ancestry } from "./delegation-depth.ts";

/** The delegation chain of a task: its ancestors from the root down to the task itself. */
export async function getTaskChain(db: TaskflowDb, actor: Actor, taskId: string): Promise<TaskChainLink[]> {
  await authorizeTask(db, actor, taskId, "project.read");
  const assignee = alias(workers, "assignee");
  const rows = await db
    .select({
      task: {
        id: tasks.id,
        parentId: tasks.parentId,
        title: tasks.title,
        status: tasks.status,
        delegatedById: tasks.delegatedById,
      },
      assignee: { id: assignee.id, kind: assignee.kind, handle: assignee.handle, name: assignee.name },
    })
    .from(tasks)
    .leftJoin(assignee, eq(assignee.id, tasks.assigneeId))
    .where(inArray(tasks.id, ancestry(taskId)));
  const byId = new Map(rows.map((row) => [row.task.id, row]));
  const chain: TaskChainLink[] = [];
  for (let row = byId.get(taskId); row; row = row.task.parentId ? byId.get(row.task.parentId) : undefined) {
    chain.unshift({
      id: row.task.id,
      title: row.task.title,
      status: row.task.status,
      assignee: row.assignee ? toWorkerSummary(row.assignee) : null,
      delegatedById: row.task.delegatedById,
    });
  }
  return chain;
}
