import type { Actor } from "../actor.ts";
import { rowJsonSql } from "../db/row-json.ts";
import { tasks } from "../db/schema/tasks.ts";
import { auditActor, auditJsonText } from "./record-audit.ts";

/**
 * The task row as recordAudit stores it (`after`), for a statement that writes the task and its audit row
 * at once: select it in the write's `returning` as `audit_after` (rowJsonSql builds the same object).
 */
export const taskAuditAfterSql = `${rowJsonSql(tasks, "tasks")} as "audit_after"`;

/**
 * The audit row recordAudit writes for a task change, as a data-modifying CTE of the statement that made
 * the change (the write and its record commit together, in one round trip): one row per row of `source`,
 * a CTE that returned the written task with `audit_after`. Same columns and values as recordAudit's row
 * for an actor; the audit_log triggers announce it to the event streams and queue its webhooks as for
 * any other audit row. Appends its values (action, actor, `before`) to `params`.
 */
export function taskAuditInsertSql(
  source: string,
  actor: Actor,
  entry: { action: string; before: unknown },
  params: unknown[],
): string {
  const { actorId, actorType, channel } = auditActor(actor);
  const value = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  return `insert into "audit_log" ("tenant_id", "project_id", "task_id", "entity_type", "entity_id", "action",
    "actor_id", "actor_type", "channel", "before", "after")
  select "tenant_id", "project_id", "id", 'task', "id"::text, ${value(entry.action)}::text, ${value(actorId)}::uuid,
    ${value(actorType)}::text, ${value(channel)}::text, ${value(auditJsonText(entry.before))}::jsonb, "audit_after"
  from "${source}"`;
}
