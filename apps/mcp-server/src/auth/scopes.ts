import { actionScopes, type ScopedAction, type TaskflowScope } from "@taskflow/core";

/** What reading the task resource (`taskflow://tasks/{taskId}`) is, in core's terms: reading its project. */
export const taskResourceAction: ScopedAction = "project.read";

/** The scope of reading: the least this server's clients ask for (metadata, challenges). */
export const readScope: TaskflowScope = actionScopes[taskResourceAction];

/** The OAuth scope a tool needs: the scope of the action it does, from core's one table. */
export function scopeForTool(tool: { action: ScopedAction }): TaskflowScope {
  return actionScopes[tool.action];
}
