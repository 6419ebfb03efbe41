import { and, count, inArray, isNotNull, sql } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import type { TaskflowExecutor } from "../db/database.ts";
import { tasks } from "../db/schema/tasks.ts";
import { DomainError } from "../errors.ts";

/** How many delegation links a chain may have when nobody configures it (`DELEGATION_MAX_DEPTH`). */
export const defaultDelegationMaxDepth = 5;

export interface DelegationOptions {
  /** Delegation links a chain may have before an agent's further delegation is refused. */
  delegationMaxDepth?: number | undefined;
}

/** The task and its ancestors, as a subquery of ids (`inArray(tasks.id, ancestry(id))`). */
export function ancestry(taskId: string) {
  return sql`(
    with recursive chain(id, parent_id) as (
      select t.id, t.parent_id from tasks t where t.id = ${taskId}
      union all
      select p.id, p.parent_id from tasks p join chain c on p.id = c.parent_id
    )
    select id from chain
  )`;
}

/** The delegation links from the root down to the task: how many of them an agent delegated. */
export async function delegationLinks(tx: TaskflowExecutor, taskId: string): Promise<number> {
  const [row] = await tx
    .select({ links: count() })
    .from(tasks)
    .where(and(inArray(tasks.id, ancestry(taskId)), isNotNull(tasks.delegatedById)));
  return row?.links ?? 0;
}

/**
 * Who delegates a new subtask: an agent creating a subtask for another worker. Its chain (the
 * parent's ancestry) may hold fewer than `delegationMaxDepth` delegation links; a further one is
 * refused (409) so agents cannot delegate without end. People delegate freely and are not recorded.
 */
export async function delegationOf(
  tx: TaskflowExecutor,
  actor: Actor,
  parentId: string | null,
  assigneeId: string | null,
  options: DelegationOptions = {},
): Promise<string | null> {
  if (actor.type !== "agent" || !parentId || !assigneeId || assigneeId === actor.workerId) return null;
  const maxDepth = options.delegationMaxDepth ?? defaultDelegationMaxDepth;
  const links = await delegationLinks(tx, parentId);
  if (links >= maxDepth) {
    throw new DomainError(
      "conflict",
      `delegation depth cap reached: the chain above this subtask already has ${links} delegation ` +
        `link(s) and at most ${maxDepth} are allowed; do the work yourself or ask a person to re-plan it`,
      { details: { delegationDepth: links, delegationMaxDepth: maxDepth } },
    );
  }
  return actor.workerId;
}
