import type { Task } from "@taskflow/contracts";
import { and, desc, eq, exists, inArray } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { assertTokenScopeAllows } from "../authorization/token-scopes.ts";
import type { TaskflowDb } from "../db/database.ts";
import { projectMembers } from "../db/schema/projects.ts";
import { tasks } from "../db/schema/tasks.ts";
import { selectTasks, toTask } from "./select-tasks.ts";

/**
 * The most recently changed tasks across every project the caller can see: those they are a
 * member of, or all of the tenant's for its owners and admins. An agent key sees only the projects
 * it is scoped to, and nothing without the read scope.
 */
export async function listRecentTasks(db: TaskflowDb, actor: Actor, limit: number): Promise<Task[]> {
  assertTokenScopeAllows(actor, "project.read");
  const scope = actor.keyScope;
  if (scope && !scope.actions.includes("read")) return [];
  const seesAll = actor.orgRole === "owner" || actor.orgRole === "admin";
  const rows = await selectTasks(db)
    .where(
      and(
        eq(tasks.tenantId, actor.tenantId),
        scope?.projectIds ? inArray(tasks.projectId, scope.projectIds) : undefined,
        seesAll
          ? undefined
          : exists(
              db
                .select({ one: projectMembers.projectId })
                .from(projectMembers)
                .where(
                  and(
                    eq(projectMembers.projectId, tasks.projectId),
                    eq(projectMembers.workerId, actor.workerId),
                  ),
                ),
            ),
      ),
    )
    .orderBy(desc(tasks.updatedAt), desc(tasks.id))
    .limit(limit);
  return rows.map(toTask);
}
