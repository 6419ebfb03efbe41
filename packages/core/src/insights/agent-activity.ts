import type { AgentActivity, AgentWeek } from "@taskflow/contracts";
import type { TaskflowExecutor } from "../db/database.ts";
import { runStatement } from "../db/statements.ts";
import { completerOf, completionOf } from "./audit-sql.ts";

/**
 * What agents did, read from the audit rows that say it, each attributed to the agent it concerns:
 * - a claim (`task.claimed`) to the agent that claimed;
 * - a completion to the agent that did the work (completerOf: the assignee when it completed);
 * - a rejection (`task.rejected`) to the assignee whose work went back;
 * - a stop request (`task.stop_requested`) to the holder asked to stop.
 * A claim's lease time runs to the task's next row that no longer carries that claim (released, handed
 * in, stopped, claimed anew, deleted); when the lease ran out, to the lease's own expiry, not to the
 * sweep that noticed it later. Claims still held are left out of the mean.
 * Grouped by agent and ISO week, so one statement serves the totals and the weekly chart.
 */
function activitySql(scope: "project" | "agent"): string {
  // The rows are picked first, on their own (materialized): otherwise the plan PostgreSQL keeps for the prepared
  // statement joined the agents first and read the audit rows once per agent (bench: 10× slower over a year).
  return `with e as materialized (
  select * from (
    select a.id, a.task_id, a.created_at, a.after ->> 'claimedAt' as claimed_at,
      case a.action when 'task.claimed' then 'claim' when 'task.rejected' then 'rejection'
        when 'task.stop_requested' then 'stop' else 'completion' end as kind,
      case a.action when 'task.claimed' then a.actor_id
        when 'task.rejected' then (a.before ->> 'assigneeId')::uuid
        when 'task.stop_requested' then (a.before ->> 'claimedById')::uuid
        else ${completerOf("a")} end as agent_id
    from audit_log a
    where a.tenant_id = $1 and a.entity_type = 'task'
      ${scope === "project" ? "and a.project_id = $4::uuid" : ""}
      and a.created_at >= $2::timestamptz and a.created_at < $3::timestamptz
      and (a.action in ('task.claimed', 'task.rejected', 'task.stop_requested') or ${completionOf("a")})
  ) attributed
  ${scope === "agent" ? "where attributed.agent_id = $4::uuid" : ""}
)
select e.agent_id, w.handle, w.name,
  to_char(date_trunc('week', e.created_at at time zone 'UTC'), 'YYYY-MM-DD') as week,
  count(*) filter (where e.kind = 'claim')::int,
  count(*) filter (where e.kind = 'completion')::int,
  count(*) filter (where e.kind = 'rejection')::int,
  count(*) filter (where e.kind = 'stop')::int,
  count(lease.ended_at)::int,
  coalesce(sum(extract(epoch from (lease.ended_at - e.created_at))), 0)::float8
from e
join workers w on w.id = e.agent_id and w.tenant_id = $1 and w.kind = 'agent'
left join lateral (
  select case when n.action = 'lease.expired' then (n.before ->> 'leaseExpiresAt')::timestamptz
    else n.created_at end as ended_at
  from audit_log n
  where e.kind = 'claim' and n.task_id = e.task_id and n.id > e.id and n.entity_type = 'task'
    and (n.after is null or jsonb_typeof(n.after) = 'null'
      or (n.after ? 'claimedAt' and (n.after ->> 'claimedAt') is distinct from e.claimed_at))
  order by n.id limit 1
) lease on true
group by e.agent_id, w.handle, w.name, 4`;
}

export const projectActivitySql = activitySql("project");
export const agentActivitySql = activitySql("agent");

interface ActivityRow {
  agentId: string;
  handle: string;
  name: string;
  week: string;
  claims: number;
  completions: number;
  rejections: number;
  stopRequests: number;
  endedLeases: number;
  leaseSeconds: number;
}

export type ActivityScope = { projectId: string } | { agentId: string };

/** The activity rows of the agents of one project, or of one agent across the tenant, in [start, end). */
async function activityRows(
  db: TaskflowExecutor,
  tenantId: string,
  scope: ActivityScope,
  start: Date,
  end: Date,
): Promise<ActivityRow[]> {
  const [text, id] =
    "projectId" in scope ? [projectActivitySql, scope.projectId] : [agentActivitySql, scope.agentId];
  return runStatement(db, text, [tenantId, start.toISOString(), end.toISOString(), id], (v) => ({
    agentId: v[0] as string,
    handle: v[1] as string,
    name: v[2] as string,
    week: v[3] as string,
    claims: Number(v[4]),
    completions: Number(v[5]),
    rejections: Number(v[6]),
    stopRequests: Number(v[7]),
    endedLeases: Number(v[8]),
    leaseSeconds: Number(v[9]),
  }));
}

function emptyActivity(agent: { agentId: string; handle: string; name: string }): AgentActivity {
  return {
    agentId: agent.agentId,
    handle: agent.handle,
    name: agent.name,
    claims: 0,
    completions: 0,
    rejections: 0,
    stopRequests: 0,
    endedLeases: 0,
    meanLeaseSeconds: null,
  };
}

/** Each agent's totals in [start, end), busiest first (then by handle). */
export async function agentActivity(
  db: TaskflowExecutor,
  tenantId: string,
  scope: ActivityScope,
  start: Date,
  end: Date,
): Promise<AgentActivity[]> {
  const totals = new Map<string, AgentActivity & { leaseSeconds: number }>();
  for (const row of await activityRows(db, tenantId, scope, start, end)) {
    const total = totals.get(row.agentId) ?? { ...emptyActivity(row), leaseSeconds: 0 };
    total.claims += row.claims;
    total.completions += row.completions;
    total.rejections += row.rejections;
    total.stopRequests += row.stopRequests;
    total.endedLeases += row.endedLeases;
    total.leaseSeconds += row.leaseSeconds;
    totals.set(row.agentId, total);
  }
  return [...totals.values()]
    .map(({ leaseSeconds, ...activity }) => ({
      ...activity,
      meanLeaseSeconds: activity.endedLeases > 0 ? leaseSeconds / activity.endedLeases : null,
    }))
    .sort(
      (a, b) => b.claims + b.completions - (a.claims + a.completions) || a.handle.localeCompare(b.handle),
    );
}

/** One agent's counts per ISO week starting at each of `weekStarts`, zero-filled. */
export async function agentWeeks(
  db: TaskflowExecutor,
  tenantId: string,
  agentId: string,
  weekStarts: string[],
  end: Date,
): Promise<AgentWeek[]> {
  const start = new Date(`${weekStarts[0]}T00:00:00.000Z`);
  const rows = await activityRows(db, tenantId, { agentId }, start, end);
  const byWeek = new Map(rows.map((row) => [row.week, row]));
  return weekStarts.map((weekStart) => {
    const row = byWeek.get(weekStart);
    return {
      weekStart,
      claims: row?.claims ?? 0,
      completions: row?.completions ?? 0,
      rejections: row?.rejections ?? 0,
      stopRequests: row?.stopRequests ?? 0,
    };
  });
}

export { emptyActivity };
