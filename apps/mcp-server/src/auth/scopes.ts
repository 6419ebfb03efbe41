import { actionScopes, type ScopedAction, type TaskflowScope } from "@taskflow/core";

/** Speaking to this server at all (listing tools, reading a task): reading a project's scope. */
export const readScope: TaskflowScope = actionScopes["project.read"];

/** The OAuth scope a tool needs: the scope of the action it does, from core's one table. */
export function scopeForTool(tool: { action: ScopedAction }): TaskflowScope {
  return actionScopes[tool.action];
}
