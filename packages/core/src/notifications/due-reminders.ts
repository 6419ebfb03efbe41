import { eq, sql } from "drizzle-orm";
import type { SystemActor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { TaskflowDb } from "../db/database.ts";
import { dueReminders, type ReminderMoment } from "../db/schema/notifications.ts";
import { tasks } from "../db/schema/tasks.ts";
import { notify } from "./notify.ts";

/**
 * When reminders go, relative to a task's due date: 24 hours before, 1 hour before, and once it has passed
 * (overdue). A task reaching a moment late (created 30 minutes before it is due, or the API down for a while)
 * gets the latest moment it has reached, not every earlier one. A task due more than `overdueWindowMs` ago
 * when first seen gets nothing (no flood of old reminders when the feature arrives or the API was down long).
 */
export const reminderLeadTimes = { due_in_24h: 24 * 3_600_000, due_in_1h: 3_600_000 } as const;
export const overdueWindowMs = 7 * 24 * 3_600_000;

export interface ReminderReport {
  sent: number;
}

function titleFor(moment: ReminderMoment, title: string): string {
  const task = `“${title.length > 200 ? `${title.slice(0, 199)}…` : title}”`;
  if (moment === "overdue") return `${task} is overdue`;
  return `${task} is due in ${moment === "due_in_1h" ? "1 hour" : "24 hours"}`;
}

/**
 * Sends the due reminders whose moment has come, each exactly once: the (task, due date, moment) key is taken
 * in `due_reminders` in the same transaction as the notifications it causes, so another replica, a retry or a
 * restart finds it taken and sends nothing. A changed due date has keys of its own, so reminders follow it.
 * Overdue tasks are also marked: a `task.overdue` audit entry by the system (on the project's stream and
 * webhooks). Who is told: kinds.ts (due_soon: the assignee if a person, else the creator; overdue: both).
 */
export async function sendDueReminders(
  db: TaskflowDb,
  now: Date,
  options: { batch?: number } = {},
): Promise<ReminderReport> {
  const batch = options.batch ?? 200;
  const report: ReminderReport = { sent: 0 };
  const at = now.toISOString();
  for (let round = 0; round < 50; round++) {
    const taken = await db.transaction(async (tx) => {
      const result: unknown = await tx.execute(sql`
        with due as (
          select ${tasks.id} as task_id, ${tasks.dueAt} as due_at, ${tasks.tenantId} as tenant_id,
            case
              when ${tasks.dueAt} <= ${at}::timestamptz then 'overdue'
              when ${tasks.dueAt} <= ${at}::timestamptz + interval '1 hour' then 'due_in_1h'
              else 'due_in_24h'
            end as moment
          from ${tasks}
          where ${tasks.dueAt} is not null and ${tasks.status} <> 'completed'
            and ${tasks.dueAt} <= ${at}::timestamptz + interval '24 hours'
            and ${tasks.dueAt} > ${at}::timestamptz - ${`${overdueWindowMs / 1000} seconds`}::interval
        )
        insert into ${dueReminders} (task_id, due_at, moment, tenant_id, sent_at)
        select due.task_id, due.due_at, due.moment, due.tenant_id, ${at}::timestamptz from due
        where not exists (
          select 1 from ${dueReminders} r
          where r.task_id = due.task_id and r.due_at = due.due_at and r.moment = due.moment
        )
        order by due.due_at
        limit ${batch}
        on conflict do nothing
        returning task_id, moment`);
      const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
        task_id: string;
        moment: ReminderMoment;
      }[];
      for (const row of rows) {
        const [task] = await tx.select().from(tasks).where(eq(tasks.id, row.task_id));
        if (!task) continue;
        const system: SystemActor = { tenantId: task.tenantId, type: "system" };
        const overdue = row.moment === "overdue";
        const written = await notify(tx, {
          kind: overdue ? "overdue" : "due_soon",
          recipientIds: overdue ? [task.assigneeId, task.creatorId] : [task.assigneeId ?? task.creatorId],
          task,
          actor: system,
          title: titleFor(row.moment, task.title),
        });
        // An agent assignee is not a recipient: the creator is told instead of nobody.
        if (!overdue && written.length === 0 && task.assigneeId) {
          await notify(tx, {
            kind: "due_soon",
            recipientIds: [task.creatorId],
            task,
            actor: system,
            title: titleFor(row.moment, task.title),
          });
        }
        if (overdue) {
          await recordAudit(tx, system, {
            entityType: "task",
            entityId: task.id,
            projectId: task.projectId,
            taskId: task.id,
            action: "task.overdue",
            after: { dueAt: task.dueAt?.toISOString() ?? null, status: task.status },
          });
        }
      }
      return rows.length;
    });
    report.sent += taken;
    if (taken < batch) break;
  }
  return report;
}
