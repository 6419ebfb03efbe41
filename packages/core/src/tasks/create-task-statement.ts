import { randomUUID } from "node:crypto";
import type { Task, TaskCreate } from "@taskflow/contracts";
import type { Actor } from "../actor.ts";
import { taskAuditAfterSql, taskAuditInsertSql } from "../audit/task-audit-statement.ts";
import { grantedMemberships } from "../authorization/granted-memberships.ts";
import { columnParams } from "../db/column-params.ts";
import type { TaskflowDb } from "../db/database.ts";
import { tasks } from "../db/schema/tasks.ts";
import { runStatement, statementTexts } from "../db/statements.ts";
import { type DelegationOptions, decideDelegation } from "../delegation/delegation-depth.ts";
import { DomainError } from "../errors.ts";
import { newTaskRow } from "./insert-task.ts";
import { newTaskInput } from "./new-task-input.ts";
import { taskFromClauseOf, taskFromValues, taskSelectList } from "./task-statements.ts";

const createTexts = statementTexts();

/**
 * Creates a task with no parent, assignee or dependencies in one statement, one round trip with no
 * transaction around it (a statement is all or nothing): the caller's membership is read, and the task,
 * its `task.created` audit row (announced and queued for webhooks by the audit_log triggers) and the task
 * as answered are written and read only when that membership is one decideProjectAccess grants
 * `task.create` with (grantedMemberships). Such a task has nothing else insertTask would do: no parent to
 * check, no assignee to tell or dispatch to, no dependency to record.
 *
 * Returns null when nothing was written — the project is none of the tenant's, the caller may not create
 * in it, or the request has a value only the general path refuses — and createTask then takes its general
 * path, which authorizes first and answers the refusal (404 before anything else, then 403, then the bad
 * value) as it always has.
 */
export async function createTopLevelTask(
  db: TaskflowDb,
  actor: Actor,
  projectId: string,
  input: TaskCreate,
  options: DelegationOptions = {},
): Promise<Task | null> {
  const granted = grantedMemberships(actor, projectId, "task.create");
  if (granted.length === 0) return null;
  // A top-level task is never delegated; asked all the same, so the rule stays delegation-depth.ts's.
  const delegatedById = await decideDelegation(
    db,
    actor,
    { parentId: null, delegatedById: null },
    null,
    options,
  );
  let row: ReturnType<typeof newTaskRow>;
  try {
    row = newTaskRow(randomUUID(), newTaskInput(actor, projectId, null, input, delegatedById));
  } catch (error) {
    if (error instanceof DomainError) return null;
    throw error;
  }
  const params: unknown[] = [projectId, actor.workerId, actor.tenantId, granted];
  const { names, placeholders } = columnParams(tasks, row, params);
  const audit = taskAuditInsertSql("inserted", actor, { action: "task.created", before: null }, params);
  const text = createTexts(
    names.join(),
    () => `with "access" as (
      select from "projects"
      left join "project_members"
        on "project_members"."project_id" = "projects"."id" and "project_members"."worker_id" = $2
      where "projects"."id" = $1 and "projects"."tenant_id" = $3
        and coalesce("project_members"."role", '') = any($4::text[])),
    "inserted" as (
      insert into "tasks" (${names.join(", ")}) select ${placeholders.join(", ")} from "access"
      returning "tasks".*, ${taskAuditAfterSql}),
    "audit" as (${audit})
    select ${taskSelectList} ${taskFromClauseOf(`"inserted"`)}`,
  );
  const [task] = await runStatement(db, text, params, taskFromValues);
  return task ?? null;
}
