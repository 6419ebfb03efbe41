import type { ProjectPermission } from "../authorization/permissions.ts";

/** How a caller reaches an effect: the REST API, the MCP server, or the dashboard (through the API). */
export type Transport = "rest" | "mcp" | "dashboard";

export interface EffectPath {
  transport: Transport;
  /** The route (with the body that makes it this effect), tool or dashboard action, as a caller names it. */
  path: string;
  /** The permission this path needs, when not the effect's (creating with an assignee: task.create). */
  permission?: ProjectPermission;
}

export interface Effect {
  /** What happens, in a word: approve, reject, assign, delegate … */
  name: string;
  /** What it changes, for the README. */
  what: string;
  /** The one function of core that decides whether it may happen, and its file under src/. */
  decidedBy: { fn: string; file: string };
  /** The project permission it needs (its key action follows: key-scope.ts). */
  permission: ProjectPermission;
  /** Every way to make it happen. A new route, tool or dashboard action that does it belongs here. */
  paths: readonly EffectPath[];
}

/**
 * The task workflow's effects and every path to each: the list packages/core/README.md shows (and a
 * test checks it shows exactly), and the list the effect × path × caller tests are generated from
 * (apps/web/test/effect-matrix.integration.test.ts drives each path as its real client does).
 */
export const taskWorkflowEffects = [
  {
    name: "approve",
    what: "a task in review becomes completed",
    decidedBy: { fn: "authorizeTransition", file: "tasks/authorize-transition.ts" },
    permission: "task.review",
    paths: [
      { transport: "rest", path: "POST /api/tasks/{id}/approve" },
      { transport: "rest", path: "PATCH /api/tasks/{id}/status {completed}" },
      { transport: "mcp", path: "taskflow_approve_task" },
      { transport: "mcp", path: "taskflow_complete_task" },
      { transport: "dashboard", path: "review panel: Approve" },
      { transport: "dashboard", path: "board: move to Completed" },
    ],
  },
  {
    name: "reject",
    what: "a task in review goes back to in_progress",
    decidedBy: { fn: "authorizeTransition", file: "tasks/authorize-transition.ts" },
    permission: "task.review",
    paths: [
      { transport: "rest", path: "POST /api/tasks/{id}/reject" },
      { transport: "rest", path: "PATCH /api/tasks/{id}/status {in_progress}" },
      { transport: "mcp", path: "taskflow_reject_task" },
      { transport: "mcp", path: "taskflow_start_task" },
      { transport: "dashboard", path: "review panel: Reject" },
      { transport: "dashboard", path: "board: move to In progress" },
    ],
  },
  {
    name: "hand in",
    what: "work leaves in_progress (review, completed, blocked): its claim ends, its assignee stays",
    decidedBy: { fn: "claimAfterStatusChange", file: "claims/claim-after-status-change.ts" },
    permission: "task.work",
    paths: [
      { transport: "rest", path: "PATCH /api/tasks/{id}/status {review}" },
      { transport: "rest", path: "PATCH /api/tasks/{id}/status {completed}" },
      { transport: "rest", path: "PATCH /api/tasks/{id}/status {blocked}" },
      { transport: "mcp", path: "taskflow_request_review" },
      { transport: "mcp", path: "taskflow_complete_task" },
      { transport: "mcp", path: "taskflow_block_task" },
      { transport: "dashboard", path: "board: move to In review" },
      { transport: "dashboard", path: "board: move to Completed" },
      { transport: "dashboard", path: "board: move to Blocked" },
    ],
  },
  {
    name: "assign",
    what: "a project member (person or agent) is put on a task, or taken off it",
    decidedBy: { fn: "assertAssignable", file: "tasks/assert-assignable.ts" },
    permission: "task.work",
    paths: [
      { transport: "rest", path: "PATCH /api/tasks/{id}/assign" },
      { transport: "rest", path: "POST /api/projects/{id}/tasks {assigneeId}", permission: "task.create" },
      { transport: "mcp", path: "taskflow_assign_task" },
      { transport: "mcp", path: "taskflow_add_task {assigneeId}", permission: "task.create" },
      { transport: "dashboard", path: "task page: edit form, Assignee" },
      { transport: "dashboard", path: "new task form, Assignee", permission: "task.create" },
    ],
  },
  {
    name: "delegate",
    what: "an agent puts another worker on a subtask (delegatedById; at most DELEGATION_MAX_DEPTH links above)",
    decidedBy: { fn: "decideDelegation", file: "delegation/delegation-depth.ts" },
    permission: "task.work",
    paths: [
      { transport: "rest", path: "POST /api/tasks/{id}/subtasks {assigneeId}", permission: "task.create" },
      {
        transport: "rest",
        path: "POST /api/projects/{id}/tasks {parentId, assigneeId}",
        permission: "task.create",
      },
      { transport: "rest", path: "PATCH /api/tasks/{id}/assign (a subtask)" },
      { transport: "mcp", path: "taskflow_add_subtask {assigneeId}", permission: "task.create" },
      { transport: "mcp", path: "taskflow_assign_task (a subtask)" },
    ],
  },
  {
    name: "prompt",
    what: "a person tells a run's agent something, answers its question or asks it to stop (the run becomes pending; its endpoint is dispatched)",
    decidedBy: { fn: "authorizePrompt", file: "runs/authorize-run.ts" },
    permission: "task.work",
    paths: [
      { transport: "rest", path: "POST /api/runs/{id}/activities {prompt}" },
      { transport: "rest", path: "POST /api/runs/{id}/activities {prompt, answers}" },
      { transport: "rest", path: "POST /api/runs/{id}/activities {prompt, signal: stop}" },
      { transport: "rest", path: "POST /api/tasks/{id}/stop" },
      { transport: "mcp", path: "taskflow_post_activity {prompt}" },
      { transport: "dashboard", path: "run view: prompt box" },
      { transport: "dashboard", path: "run view: answer buttons" },
      { transport: "dashboard", path: "run view: Stop" },
    ],
  },
  {
    name: "report",
    what: "a run's own agent adds a thought, an action, a response, a question or an error to it",
    decidedBy: { fn: "authorizeAgentActivity", file: "runs/authorize-run.ts" },
    permission: "task.work",
    paths: [
      { transport: "rest", path: "POST /api/runs/{id}/activities {thought}" },
      { transport: "rest", path: "POST /api/runs/{id}/activities {elicitation}" },
      { transport: "mcp", path: "taskflow_post_activity {thought}" },
      { transport: "mcp", path: "taskflow_ask_and_wait" },
    ],
  },
  {
    name: "receive a notification",
    what: "a person reads a notification of theirs (people only; while they are a member of its project): the inbox, its unread count, the live inbox",
    decidedBy: { fn: "receivableNotifications", file: "notifications/notification-access.ts" },
    permission: "project.read",
    paths: [
      { transport: "rest", path: "GET /api/notifications" },
      { transport: "rest", path: "GET /api/notifications/unread-count" },
      { transport: "rest", path: "GET /api/notifications/events" },
      { transport: "dashboard", path: "Needs you: the inbox page" },
      { transport: "dashboard", path: "header: the unread badge" },
    ],
  },
] as const satisfies readonly Effect[];

export type TaskWorkflowEffect = (typeof taskWorkflowEffects)[number];
export type EffectName = TaskWorkflowEffect["name"];
