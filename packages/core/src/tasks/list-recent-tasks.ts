import type { Task } from "@taskflow/contracts";
import type { Actor } from "../actor.ts";
import { assertTokenScopeAllows } from "../authorization/token-scopes.ts";
import type { TaskflowDb } from "../db/database.ts";
import { runStatement } from "../db/statements.ts";
import { taskFromClause, taskFromValues, taskSelectList } from "./task-statements.ts";

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
  const params: unknown[] = [actor.tenantId, limit];
  const where = ['"tasks"."tenant_id" = $1'];
  if (scope?.projectIds) {
    params.push(scope.projectIds);
    where.push(`"tasks"."project_id" = any($${params.length}::uuid[])`);
  }
  if (!seesAll) {
    params.push(actor.workerId);
    where.push(`exists (select 1 from project_members m
      where m.project_id = "tasks"."project_id" and m.worker_id = $${params.length})`);
  }
  return runStatement(
    db,
    `select ${taskSelectList} ${taskFromClause} where ${where.join(" and ")}
     order by "tasks"."updated_at" desc, "tasks"."id" desc limit $2`,
    params,
    taskFromValues,
  );
}
