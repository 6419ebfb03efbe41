import type { DurationSummary } from "@taskflow/contracts";
import type { TaskflowExecutor } from "../db/database.ts";
import { runStatement } from "../db/statements.ts";
import { completionOf, statusActions } from "./audit-sql.ts";
import type { InsightWindow } from "./insight-window.ts";

const summary = `count(*)::int,
  percentile_cont(0.5) within group (order by seconds)::float8,
  percentile_cont(0.9) within group (order by seconds)::float8`;

/**
 * Each stay in review that ended in the window (approved, sent back, or moved on), from the row that
 * left review back to the row that entered it: the latest status row of that task before it, found
 * through the task's own index. A task rejected then approved waited twice, and counts twice.
 */
export const reviewTimeSql = `select ${summary} from (
  select extract(epoch from (l.created_at - entered.created_at))::float8 as seconds
  from audit_log l
  cross join lateral (
    select p.created_at from audit_log p
    where p.task_id = l.task_id and p.id < l.id and p.entity_type = 'task' and p.action in ${statusActions}
      and p.to_status = 'review' and p.from_status is distinct from 'review'
    order by p.id desc limit 1
  ) entered
  where l.tenant_id = $1 and l.project_id = $2::uuid and l.entity_type = 'task'
    and l.created_at >= $3::timestamptz and l.created_at < $4::timestamptz
    and l.action in ${statusActions} and l.action <> 'task.deleted'
    and l.from_status = 'review' and l.to_status <> 'review'
) stays`;

/**
 * From a task's first start (its `startedAt`, set once, kept through reopening) to each completion in
 * the window: a reopened task completed again is measured again, from the same start.
 */
export const cycleTimeSql = `select ${summary} from (
  select extract(epoch from (a.created_at - (a.after ->> 'startedAt')::timestamptz))::float8 as seconds
  from audit_log a
  where a.tenant_id = $1 and a.project_id = $2::uuid and a.entity_type = 'task'
    and a.created_at >= $3::timestamptz and a.created_at < $4::timestamptz
    and ${completionOf("a")} and a.after ->> 'startedAt' is not null
) cycles`;

function toSummary(v: unknown[]): DurationSummary {
  const count = Number(v[0]);
  const seconds = (value: unknown) => (count === 0 || value === null ? null : Math.max(0, Number(value)));
  return { count, p50Seconds: seconds(v[1]), p90Seconds: seconds(v[2]) };
}

/** Time in review and cycle time of the project's tasks in the window: count, p50 and p90 (continuous). */
export async function flowTimes(
  db: TaskflowExecutor,
  tenantId: string,
  projectId: string,
  window: InsightWindow,
): Promise<{ timeInReview: DurationSummary; cycleTime: DurationSummary }> {
  const params = [tenantId, projectId, window.start.toISOString(), window.end.toISOString()];
  const [review] = await runStatement(db, reviewTimeSql, params, toSummary);
  const [cycle] = await runStatement(db, cycleTimeSql, params, toSummary);
  const none = { count: 0, p50Seconds: null, p90Seconds: null };
  return { timeInReview: review ?? none, cycleTime: cycle ?? none };
}
