import type { Task } from "@taskflow/contracts";
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { readableProjects } from "../authorization/readable-projects.ts";
import type { TaskflowDb } from "../db/database.ts";
import { tasks } from "../db/schema/tasks.ts";
import { selectTasks, toTask } from "./select-tasks.ts";

/**
 * The most recently changed tasks across every project the caller can read (readableProjects: the
 * decision each project's own reads get): those they are a member of, or all of the tenant's for its
 * owners and admins; an agent key's projects only, and nothing without the read action.
 */
export async function listRecentTasks(db: TaskflowDb, actor: Actor, limit: number): Promise<Task[]> {
  const projectIds = (await readableProjects(db, actor)).map(({ project }) => project.id);
  if (projectIds.length === 0) return [];
  const rows = await selectTasks(db)
    .where(and(eq(tasks.tenantId, actor.tenantId), inArray(tasks.projectId, projectIds)))
    .orderBy(desc(tasks.updatedAt), desc(tasks.id))
    .limit(limit);
  return rows.map(toTask);
}
