import type { Task } from "@taskflow/contracts";

/** One line an agent can read at a glance. */
export function taskLine(task: Task): string {
  const who = task.assignee ? ` → ${task.assignee.handle}` : "";
  return `[${task.status}] ${task.title} (${task.priority}, ${task.progress}%)${who} id=${task.id} v${task.version}`;
}
