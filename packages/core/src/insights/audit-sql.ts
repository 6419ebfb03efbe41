/**
 * SQL fragments the insights queries share: which audit rows say what. Every status change of a task
 * is audited with the task row before and after (`before`/`after` jsonb), so its assignee, claim and start
 * time at that moment are read from those snapshots; its statuses from `from_status` and `to_status`, the
 * columns PostgreSQL copies out of them, which the insights' indexes carry (migration 0014).
 */

/** The actions whose row may change a task's status (creation and deletion included). */
export const statusActions = `('task.created', 'task.recurred', 'task.status_changed', 'task.approved',
  'task.rejected', 'task.claimed', 'task.released', 'lease.expired', 'task.stop_acknowledged', 'task.deleted')`;

/** A row (alias `a`) that completes a task: a status change or approval into completed. */
export function completionOf(a: string): string {
  return `(${a}.action in ('task.status_changed', 'task.approved')
    and ${a}.to_status = 'completed' and ${a}.from_status <> 'completed')`;
}

/**
 * Who did the work a completion finishes: the task's assignee at that moment (an agent whose work a
 * person approves completed it), else whoever moved it.
 */
export function completerOf(a: string): string {
  return `coalesce((${a}.after ->> 'assigneeId')::uuid, ${a}.actor_id)`;
}
