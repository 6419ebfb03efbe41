import type { FlowDay } from "@taskflow/contracts";
import type { TaskflowExecutor } from "../db/database.ts";
import { type TaskStatus, taskStatuses } from "../db/schema/tasks.ts";
import { runStatement } from "../db/statements.ts";
import { statusActions } from "./audit-sql.ts";
import type { InsightWindow } from "./insight-window.ts";

/**
 * Each status change is a move: one task out of the status it left, one into the status it entered
 * (creation enters only, deletion leaves only). Counted per pair of statuses: everything before the window
 * as one baseline (day null), then day by day, so the database hashes a few dozen groups whatever the
 * history's length. One pass over the project's status rows, read from the index audit_project_task_time_idx
 * alone (an index-only scan: every column it needs is in the index).
 */
export const cumulativeFlowSql = `select case when a.created_at < $3::timestamptz then null
    else to_char(a.created_at at time zone 'UTC', 'YYYY-MM-DD') end as day,
  a.from_status, a.to_status, count(*)::int
from audit_log a
where a.tenant_id = $1 and a.project_id = $2::uuid and a.entity_type = 'task'
  and a.action in ${statusActions}
  and a.created_at < $4::timestamptz
  and a.to_status is distinct from a.from_status
group by 1, 2, 3`;

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
    (v) => ({
      day: v[0] as string | null,
      from: v[1] as string | null,
      to: v[2] as string | null,
      n: Number(v[3]),
    }),
  );
  const running = Object.fromEntries(taskStatuses.map((s) => [s, 0])) as Record<TaskStatus, number>;
  const apply = (move: (typeof rows)[number]) => {
    if (move.to !== null && isStatus(move.to)) running[move.to] += move.n;
    if (move.from !== null && isStatus(move.from)) running[move.from] -= move.n;
  };
  const byDay = new Map<string, typeof rows>();
  for (const row of rows) {
    if (row.day === null) apply(row);
    else byDay.set(row.day, [...(byDay.get(row.day) ?? []), row]);
  }
  return window.days.map((date) => {
    for (const row of byDay.get(date) ?? []) apply(row);
    return { date, ...running };
  });
}

function isStatus(value: string): value is TaskStatus {
  return (taskStatuses as readonly string[]).includes(value);
}
