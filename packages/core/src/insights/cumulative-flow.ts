import type { FlowDay } from "@taskflow/contracts";
import type { TaskflowExecutor } from "../db/database.ts";
import { type TaskStatus, taskStatuses } from "../db/schema/tasks.ts";
import { runStatement } from "../db/statements.ts";
import { statusActions } from "./audit-sql.ts";
import type { InsightWindow } from "./insight-window.ts";

/**
 * Each status change is a move: one task out of the status it left, one into the status it entered
 * (creation enters only, deletion leaves only). Summed per status and day: everything before the window
 * as one baseline (day null), then day by day. One pass over the project's status rows, read from the
 * index audit_project_task_time_idx alone (an index-only scan: every column it needs is in the index).
 */
export const cumulativeFlowSql = `select case when a.created_at < $3::timestamptz then null
    else to_char(a.created_at at time zone 'UTC', 'YYYY-MM-DD') end as day,
  move.status, sum(move.delta)::int as delta
from audit_log a
cross join lateral (values (a.to_status, 1), (a.from_status, -1)) as move(status, delta)
where a.tenant_id = $1 and a.project_id = $2::uuid and a.entity_type = 'task'
  and a.action in ${statusActions}
  and a.created_at < $4::timestamptz
  and a.to_status is distinct from a.from_status
  and move.status is not null
group by 1, 2`;

/** How many of the project's tasks were in each status at the end of every day of the window (UTC). */
export async function cumulativeFlow(
  db: TaskflowExecutor,
  tenantId: string,
  projectId: string,
  window: InsightWindow,
): Promise<FlowDay[]> {
  const rows = await runStatement(
    db,
    cumulativeFlowSql,
    [tenantId, projectId, window.start.toISOString(), window.end.toISOString()],
    (v) => ({ day: v[0] as string | null, status: v[1] as string, delta: Number(v[2]) }),
  );
  const running = Object.fromEntries(taskStatuses.map((s) => [s, 0])) as Record<TaskStatus, number>;
  const byDay = new Map<string, typeof rows>();
  for (const row of rows) {
    if (!isStatus(row.status)) continue;
    if (row.day === null) running[row.status] += row.delta;
    else byDay.set(row.day, [...(byDay.get(row.day) ?? []), row]);
  }
  return window.days.map((date) => {
    for (const row of byDay.get(date) ?? []) running[row.status as TaskStatus] += row.delta;
    return { date, ...running };
  });
}

function isStatus(value: string): value is TaskStatus {
  return (taskStatuses as readonly string[]).includes(value);
}
