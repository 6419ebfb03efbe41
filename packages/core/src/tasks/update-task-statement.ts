import type { Task } from "@taskflow/contracts";
import type { Actor } from "../actor.ts";
import { taskAuditAfterSql, taskAuditInsertSql } from "../audit/task-audit-statement.ts";
import { columnParams } from "../db/column-params.ts";
import type { TaskflowTx } from "../db/database.ts";
import { tasks } from "../db/schema/tasks.ts";
import { runStatement, statementTexts } from "../db/statements.ts";
import type { TaskRow } from "./authorize-task.ts";
import { taskColumns, taskFromClauseOf, taskFromValues, taskSelectList } from "./task-statements.ts";

/** What updateTaskStatement gives back: the row as written, and the task as the API answers it. */
export interface UpdatedTask {
  row: TaskRow;
  answer: Task;
}

const updateTexts = statementTexts();

/**
 * Writes a change the caller decided to a task it has locked, its version bumped, with the audit row
 * recordAudit would write (`before` the locked row, `after` the row as written) and the task read back as
 * every task read answers it: one statement, where the update, the audit insert and loadTask were three
 * round trips inside the transaction. The statement text depends only on which columns `set` names.
 */
export async function updateTaskStatement(
  tx: TaskflowTx,
  actor: Actor,
  task: TaskRow,
  set: Partial<typeof tasks.$inferInsert>,
  action: string,
): Promise<UpdatedTask> {
  const params: unknown[] = [task.id];
  const { names, placeholders } = columnParams(tasks, set, params);
  const audit = taskAuditInsertSql("updated", actor, { action, before: task }, params);
  const text = updateTexts(names.join(), () => {
    const assignments = names.map((name, i) => `${name} = ${placeholders[i]}`);
    assignments.push(`"version" = "tasks"."version" + 1`);
    return `with "updated" as (
      update "tasks" set ${assignments.join(", ")} where "tasks"."id" = $1
      returning "tasks".*, ${taskAuditAfterSql}),
    "audit" as (${audit})
    select ${taskSelectList} ${taskFromClauseOf(`"updated"`)}`;
  });
  const [updated] = await runStatement(tx, text, params, (values) => ({
    row: taskColumns.decode(values),
    answer: taskFromValues(values),
  }));
  if (!updated) throw new Error("update returned no task");
  return updated;
}
