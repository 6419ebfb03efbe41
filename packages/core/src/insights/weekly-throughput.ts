import type { ThroughputWeek } from "@taskflow/contracts";
import type { TaskflowExecutor } from "../db/database.ts";
import { runStatement } from "../db/statements.ts";
import { completerOf, completionOf } from "./audit-sql.ts";
import type { InsightWindow } from "./insight-window.ts";

/**
 * Completions per ISO week, told apart by who did the work (completerOf): a person or an agent. A task
 * reopened and completed again was completed twice. A worker no longer on record counts by the actor's type.
 */
export const throughputSql = `select to_char(date_trunc('week', a.created_at at time zone 'UTC'), 'YYYY-MM-DD') as week,
  count(*) filter (where coalesce(w.kind, a.actor_type) = 'agent')::int as agents,
  count(*) filter (where coalesce(w.kind, a.actor_type) <> 'agent')::int as people
from audit_log a
left join workers w on w.id = ${completerOf("a")}
where a.tenant_id = $1 and a.project_id = $2::uuid and a.entity_type = 'task'
  and a.created_at >= $3::timestamptz and a.created_at < $4::timestamptz
  and ${completionOf("a")}
group by 1`;

/** The project's completions in each week of the window's throughput weeks, zero-filled. */
export async function weeklyThroughput(
  db: TaskflowExecutor,
  tenantId: string,
  projectId: string,
  window: InsightWindow,
): Promise<ThroughputWeek[]> {
  const rows = await runStatement(
    db,
    throughputSql,
    [tenantId, projectId, window.weeksStart.toISOString(), window.end.toISOString()],
    (v) => ({ week: v[0] as string, agents: Number(v[1]), people: Number(v[2]) }),
  );
  const byWeek = new Map(rows.map((row) => [row.week, row]));
  return window.weekStarts.map((weekStart) => ({
    weekStart,
    people: byWeek.get(weekStart)?.people ?? 0,
    agents: byWeek.get(weekStart)?.agents ?? 0,
  }));
}
