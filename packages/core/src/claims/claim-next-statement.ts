import type { Task } from "@taskflow/contracts";
import type { Actor } from "../actor.ts";
import type { TaskflowExecutor } from "../db/database.ts";
import { rowJsonSql } from "../db/row-json.ts";
import { tasks } from "../db/schema/tasks.ts";
import { runStatement } from "../db/statements.ts";
import { selfAssignmentKeepsDelegation } from "../delegation/delegation-depth.ts";
import { taskFromClause, taskFromValues, taskSelectList } from "../tasks/task-statements.ts";

/**
 * The candidates of claim-next, best first: pending and unclaimed (or the claim lapsed), in one of the
 * projects the caller may claim in ($3) and is a member of (not a viewer), unassigned or assigned to the
 * caller, every dependency completed, and for an agent ($7) every required capability among its own.
 * Highest priority first, then earliest due, then oldest: the order of the partial index
 * tasks_claim_order_idx, so PostgreSQL reads the index in order and stops at the first row it can lock.
 */
const claimCandidatesSql = `select "tasks".* from "tasks"
  where "tasks"."tenant_id" = $1
    and "tasks"."status" = 'pending'
    and ("tasks"."claimed_by_id" is null or "tasks"."lease_expires_at" <= $4::timestamptz)
    and ("tasks"."assignee_id" is null or "tasks"."assignee_id" = $2::uuid)
    and "tasks"."project_id" = any($3::uuid[])
    and "tasks"."project_id" in (select m.project_id from project_members m
          where m.worker_id = $2::uuid and m.role <> 'viewer')
    and (not $7::boolean or "tasks"."required_capabilities" <@ coalesce(
          (select w.capabilities from workers w where w.id = $2::uuid), '{}'::text[]))
    and not exists (select 1 from task_dependencies d join tasks dt on dt.id = d.depends_on_id
          where d.task_id = "tasks"."id" and dt.status <> 'completed')
  order by "tasks"."priority_rank" desc, "tasks"."due_at" asc nulls last, "tasks"."created_at" asc, "tasks"."id" asc`;

const auditColumns = `tenant_id, project_id, task_id, entity_type, entity_id, action, actor_id, actor_type, channel,
  before, after`;

/**
 * Claim-next as one statement, so a claim costs one round trip and no transaction of its own: pick the best
 * candidate and lock it (SKIP LOCKED: racing claimers each take a different row; a row another claimer
 * changed meanwhile is checked again by PostgreSQL and skipped when no longer pending), give it to the caller
 * (applyClaim's columns: claimed with a lease, assigned, in progress, stop request cleared), open the agent's
 * run or take up its open one (runs/open-run.ts's rules), write the audit rows (task.claimed, then run.opened
 * or run.taken_up; each is NOTIFYed to the event streams and queued for webhooks by the audit_log triggers,
 * on commit), and answer the task as every task read does. The audit snapshots are the rows as recordAudit
 * writes them (rowJsonSql).
 */
const claimNextSql = `with picked as (${claimCandidatesSql}
  limit 1
  for update of "tasks" skip locked
),
claimed as (
  update tasks set
    claimed_by_id = $2::uuid, claimed_at = $4::timestamptz, lease_expires_at = $5::timestamptz,
    lease_seconds = $6::integer, assignee_id = $2::uuid,
    delegated_by_id = case when $8::boolean then picked.delegated_by_id end,
    status = 'in_progress', started_at = coalesce(picked.started_at, $4::timestamptz),
    stop_requested_by_id = null, stop_requested_at = null, stop_reason = null, stop_acknowledged_at = null,
    version = picked.version + 1, updated_at = $4::timestamptz
  from picked
  where tasks.id = picked.id
  returning tasks.*, ${rowJsonSql(tasks, "picked")} as audit_before, ${rowJsonSql(tasks, "tasks")} as audit_after
),
open_run as (
  select r.id, r.state from agent_runs r join claimed c on c.id = r.task_id
  where $7::boolean and r.agent_id = $2::uuid and r.state not in ('completed', 'stopped')
  for update of r
),
taken_up as (
  update agent_runs set state = 'active', last_activity_at = $4::timestamptz, updated_at = $4::timestamptz
  from open_run
  where agent_runs.id = open_run.id and open_run.state in ('pending', 'stale')
  returning agent_runs.id, agent_runs.tenant_id, agent_runs.project_id, agent_runs.task_id, open_run.state as was
),
new_run as (
  insert into agent_runs (tenant_id, project_id, task_id, agent_id, state, origin, opened_by_id,
    last_activity_at, created_at, updated_at)
  select c.tenant_id, c.project_id, c.id, $2::uuid, 'active', 'claim', $2::uuid,
    $4::timestamptz, $4::timestamptz, $4::timestamptz
  from claimed c
  where $7::boolean and not exists (select 1 from open_run)
  on conflict (task_id, agent_id) where state not in ('completed', 'stopped') do nothing
  returning id, tenant_id, project_id, task_id
),
audit as (
  insert into audit_log (${auditColumns})
  select tenant_id, project_id, task_id, entity_type, entity_id, action, $2::uuid, $9::text, $10::text, before, after
  from (
    select 1 as position, tenant_id, project_id, id as task_id, 'task' as entity_type, id::text as entity_id,
      'task.claimed' as action, audit_before as before, audit_after as after
    from claimed
    union all
    select 2, tenant_id, project_id, task_id, 'run', id::text, 'run.opened', null::jsonb,
      jsonb_build_object('runId', id, 'agentId', $2::uuid, 'origin', 'claim', 'state', 'active')
    from new_run
    union all
    select 2, tenant_id, project_id, task_id, 'run', id::text, 'run.taken_up', jsonb_build_object('state', was),
      jsonb_build_object('runId', id, 'state', 'active')
    from taken_up
  ) entries
  order by position
)
select ${taskSelectList} ${taskFromClause.replace('from "tasks"', 'from claimed "tasks"')}`;

/**
 * The statement (text and values) that claims the best candidate among `projectIds` for the actor with a
 * lease: what claimNextStatement sends, and what the plan test asks PostgreSQL and PGlite to explain.
 */
export function claimNextQuery(
  actor: Actor,
  projectIds: string[],
  lease: { now: Date; seconds: number },
): { text: string; params: unknown[] } {
  return {
    text: claimNextSql,
    params: [
      actor.tenantId,
      actor.workerId,
      projectIds,
      lease.now,
      new Date(lease.now.getTime() + lease.seconds * 1000),
      lease.seconds,
      actor.type === "agent",
      selfAssignmentKeepsDelegation(actor),
      actor.type,
      actor.channel,
    ],
  };
}

/**
 * Claims the best candidate among `projectIds` for the actor with a lease, in one statement (claimNextSql);
 * null when none is left. The caller has decided in which projects the actor may claim.
 */
export async function claimNextStatement(
  db: TaskflowExecutor,
  actor: Actor,
  projectIds: string[],
  lease: { now: Date; seconds: number },
): Promise<Task | null> {
  const { text, params } = claimNextQuery(actor, projectIds, lease);
  const [task] = await runStatement(db, text, params, taskFromValues);
  return task ?? null;
}
