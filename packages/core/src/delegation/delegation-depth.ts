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

/** What the delegation decision reads of a task: its place in the tree and its current link. */
export interface DelegationSubject {
  parentId: string | null;
  /** The agent whose delegation put the current assignee on it, if one did (null for a new task). */
  delegatedById: string | null;
}

/**
 * Whether putting oneself on a task (a claim) keeps its delegation link: an agent's does (it delegates
 * nothing, and cannot shorten the chain above its own work), a person's clears it (a person re-plans).
 * decideDelegation's rule for that case, also for claim-next's statement, which applies it in SQL.
 */
export function selfAssignmentKeepsDelegation(actor: Pick<Actor, "type">): boolean {
  return actor.type === "agent";
}

/**
 * The one decision on delegation, for every path that puts someone on a task: creating it with an
 * assignee (REST create and subtask routes, MCP add_task / add_subtask), assigning it (REST
 * `PATCH …/assign`, MCP assign_task, the dashboard's edit form) and claiming it. Returns the task's
 * `delegatedById` once `assigneeId` is on it.
 *
 * - An agent putting another worker on a subtask delegates it: recorded as the agent, and refused
 *   (409) once the chain above it (the parent's ancestry) holds `delegationMaxDepth` delegation
 *   links, so agents cannot delegate without end, whether they name the assignee at creation or
 *   assign it afterwards.
 * - An agent putting itself or nobody on it (a claim, an unassignment) delegates nothing and keeps
 *   the link that is there: an agent cannot shorten the chain above its own work to pass the cap.
 * - A person re-plans: whatever a person assigns, the task has no delegation link afterwards. People
 *   are not capped, and a person is who lifts the cap (the refusal says so).
 * - A top-level task is never delegated: delegation is handing off part of a task.
 */
export async function decideDelegation(
  tx: TaskflowExecutor,
  actor: Actor,
  task: DelegationSubject,
  assigneeId: string | null,
  options: DelegationOptions = {},
): Promise<string | null> {
  if (assigneeId === actor.workerId) return selfAssignmentKeepsDelegation(actor) ? task.delegatedById : null;
  if (actor.type !== "agent") return null;
  if (!task.parentId || !assigneeId) return task.delegatedById;
  const maxDepth = options.delegationMaxDepth ?? defaultDelegationMaxDepth;
  const links = await delegationLinks(tx, task.parentId);
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
