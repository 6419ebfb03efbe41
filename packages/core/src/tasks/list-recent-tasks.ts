import type { Task } from "@taskflow/contracts";
import type { Actor } from "../actor.ts";
import { readableProjects } from "../authorization/readable-projects.ts";
import type { TaskflowDb } from "../db/database.ts";
import { runStatement } from "../db/statements.ts";
import { taskFromClause, taskFromValues, taskSelectList } from "./task-statements.ts";

/**
 * The most recently changed tasks across every project the caller can read (readableProjects: the
 * decision each project's own reads get): those they are a member of, or all of the tenant's for its
 * owners and admins; an agent key's projects only, and nothing without the read action.
 */
export async function listRecentTasks(db: TaskflowDb, actor: Actor, limit: number): Promise<Task[]> {
  const projectIds = (await readableProjects(db, actor)).map(({ project }) => project.id);
  if (projectIds.length === 0) return [];
  return runStatement(
    db,
    `select ${taskSelectList} ${taskFromClause}
     where "tasks"."tenant_id" = $1 and "tasks"."project_id" = any($3::uuid[])
     order by "tasks"."updated_at" desc, "tasks"."id" desc limit $2`,
    [actor.tenantId, limit, projectIds],
    taskFromValues,
  );
}
