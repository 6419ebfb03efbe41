import type { Actor } from "../actor.ts";
import type { KeyAction } from "../authorization/key-scope.ts";
import type { ProjectPermission } from "../authorization/permissions.ts";
import { decideProjectAccess, type ProjectRow, projectColumns } from "../authorization/project-access.ts";
import type { TaskflowExecutor } from "../db/database.ts";
import type { ProjectRole } from "../db/schema/projects.ts";
import type { tasks } from "../db/schema/tasks.ts";
import { runStatement } from "../db/statements.ts";
import { DomainError, notFound } from "../errors.ts";
import { taskColumns } from "./task-statements.ts";

export type TaskRow = typeof tasks.$inferSelect;

/**
 * The task, its project and the caller's membership in one statement: every task mutation and read pays
 * this, and it was two round trips (the task, then authorizeProject's read) before the write could start.
 * The lock, when asked, is the task row's only, as before (`of "tasks"`).
 */
const taskAccessSql = `select ${taskColumns.list}, ${projectColumns.list}, "project_members"."role"
  from "tasks"
  inner join "projects" on "projects"."id" = "tasks"."project_id" and "projects"."tenant_id" = $2
  left join "project_members"
    on "project_members"."project_id" = "tasks"."project_id" and "project_members"."worker_id" = $3
  where "tasks"."id" = $1 and "tasks"."tenant_id" = $2`;
const taskAccessSqlFor = {
  none: taskAccessSql,
  update: `${taskAccessSql} for update of "tasks"`,
  share: `${taskAccessSql} for share of "tasks"`,
};

export interface TaskAccessOptions {
  /** Lock the task row until the transaction ends (every mutation does, so none is lost). */
  forUpdate?: boolean;
  /** Keep the task from being changed or deleted until the transaction ends (a new subtask's parent). */
  forShare?: boolean;
  /** The version the caller last read (`If-Match`); a different current version is refused. */
  expectedVersion?: number | undefined;
  /** The agent-key action this use needs, when not the permission's own (e.g. `claim`). */
  keyAction?: KeyAction;
}

/**
 * Loads a task of the caller's tenant and checks a permission in its project. A task the caller
 * cannot even read (another tenant's, or in a project they are not in) is simply not found.
 * The permission may depend on the task (a status change needs what its move needs); the
 * function is given the loaded task and must not throw. The decision is decideProjectAccess's, on
 * the membership read with the task, exactly as authorizeProject decides it.
 */
export async function authorizeTask(
  tx: TaskflowExecutor,
  actor: Actor,
  taskId: string,
  permission: ProjectPermission | ((task: TaskRow) => ProjectPermission),
  options: TaskAccessOptions = {},
): Promise<{ task: TaskRow; project: ProjectRow; role: ProjectRole }> {
  const lock = options.forUpdate ? "update" : options.forShare ? "share" : "none";
  const [row] = await runStatement(
    tx,
    taskAccessSqlFor[lock],
    [taskId, actor.tenantId, actor.workerId],
    (values) => ({
      task: taskColumns.decode(values),
      project: projectColumns.decode(values, taskColumns.width),
      membershipRole: values[taskColumns.width + projectColumns.width] as ProjectRole | null,
    }),
  );
  if (!row) throw notFound("task");
  const { task, project } = row;
  let role: ProjectRole;
  try {
    role = decideProjectAccess(
      actor,
      task.projectId,
      row.membershipRole,
      typeof permission === "function" ? permission(task) : permission,
      options.keyAction ? { keyAction: options.keyAction } : {},
    );
  } catch (error) {
    if (error instanceof DomainError && error.code === "not_found") throw notFound("task");
    throw error;
  }
  if (options.expectedVersion !== undefined && options.expectedVersion !== task.version) {
    throw new DomainError(
      "precondition_failed",
      `the task is at version ${task.version}, not ${options.expectedVersion}; read it again`,
      { details: { currentVersion: task.version } },
    );
  }
  return { task, project, role };
}
