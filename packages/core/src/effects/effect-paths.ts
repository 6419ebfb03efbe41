import type { KeyAction } from "../authorization/key-scope.ts";
import type { ScopedAction } from "../authorization/token-scopes.ts";
import type { TaskStatus } from "../db/schema/tasks.ts";

/**
 * How a caller reaches an effect: the REST API, the MCP server, the dashboard (through the API: its
 * server actions, the API reads of its pages and its live-event routes), or the API's event stream.
 */
export type Transport = "rest" | "mcp" | "dashboard" | "stream";

export interface EffectPath {
  transport: Transport;
  /** The route (with the body that makes it this effect), tool, dashboard action or page, as a caller names it. */
  path: string;
  /** What this path needs instead of the effect's (creating with an assignee: task.create); [] for nothing. */
  needs?: readonly ScopedAction[];
  /** For a status change: the statuses this path moves a task from, when only some of the effect's. */
  from?: readonly TaskStatus[];
}

interface EffectBase {
  /** What happens, in a word or three: approve, assign, read a project … */
  name: string;
  /** What it changes or shows, for the README. */
  what: string;
  /** The one function of core that decides whether it may happen, and its file under src/. */
  decidedBy: { fn: string; file: string };
  /** The action an agent key needs, when not its permission's (key-scope.ts: claiming needs `claim`). */
  keyAction?: KeyAction;
  /** Every way to make it happen. A new route, tool, dashboard action or stream that does it belongs here. */
  paths: readonly EffectPath[];
}

/**
 * What an effect needs: project permissions (authorization/permissions.ts, whose key action follows:
 * key-scope.ts) or organization effects (organization-access.ts), all of them, each with its token scope
 * (token-scopes.ts); or, for a status change, what the transition table (tasks/task-transitions.ts) says
 * each of its moves needs.
 */
export type EffectNeeds =
  | { needs: readonly ScopedAction[]; moves?: never }
  | { moves: { to: TaskStatus; from: readonly TaskStatus[] }; needs?: never };

export type Effect = EffectBase & EffectNeeds;

/**
 * Every effect a rule guards and every path to each: the list packages/core/README.md shows (and a test
 * checks it shows exactly), and the list the effect × path × caller tests are generated from
 * (apps/web/test/effect-matrix/ drives each path as its real client does, for every kind of caller).
 */
export const effects = [
  {
    name: "approve",
    what: "a task in review becomes completed",
    decidedBy: { fn: "authorizeTransition", file: "tasks/authorize-transition.ts" },
    moves: { to: "completed", from: ["review"] },
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
    moves: { to: "in_progress", from: ["review"] },
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
    name: "complete",
    what: "a task becomes completed: work in progress finished, or work in review approved",
    decidedBy: { fn: "authorizeTransition", file: "tasks/authorize-transition.ts" },
    moves: { to: "completed", from: ["in_progress", "review"] },
    paths: [
      { transport: "rest", path: "PATCH /api/tasks/{id}/status {completed}" },
      { transport: "rest", path: "POST /api/tasks/{id}/approve", from: ["review"] },
      { transport: "mcp", path: "taskflow_complete_task" },
      { transport: "mcp", path: "taskflow_approve_task", from: ["review"] },
      { transport: "dashboard", path: "board: move to Completed" },
      { transport: "dashboard", path: "review panel: Approve", from: ["review"] },
    ],
  },
  {
    name: "hand in",
    what: "work leaves in_progress (review, completed, blocked): its claim ends, its assignee stays",
    decidedBy: { fn: "claimAfterStatusChange", file: "claims/claim-after-status-change.ts" },
    needs: ["task.work"],
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
    needs: ["task.work"],
    paths: [
      { transport: "rest", path: "PATCH /api/tasks/{id}/assign" },
      { transport: "rest", path: "POST /api/projects/{id}/tasks {assigneeId}", needs: ["task.create"] },
      { transport: "mcp", path: "taskflow_assign_task" },
      { transport: "mcp", path: "taskflow_add_task {assigneeId}", needs: ["task.create"] },
      // The form edits the task as the page read it (its version): the page is read first.
      {
        transport: "dashboard",
        path: "task page: edit form, Assignee",
        needs: ["task.work", "project.read"],
      },
      { transport: "dashboard", path: "new task form, Assignee", needs: ["task.create"] },
    ],
  },
  {
    name: "delegate",
    what: "an agent puts another worker on a subtask (delegatedById; at most DELEGATION_MAX_DEPTH links above)",
    decidedBy: { fn: "decideDelegation", file: "delegation/delegation-depth.ts" },
    needs: ["task.work"],
    paths: [
      { transport: "rest", path: "POST /api/tasks/{id}/subtasks {assigneeId}", needs: ["task.create"] },
      {
        transport: "rest",
        path: "POST /api/projects/{id}/tasks {parentId, assigneeId}",
        needs: ["task.create"],
      },
      { transport: "rest", path: "PATCH /api/tasks/{id}/assign (a subtask)" },
      { transport: "mcp", path: "taskflow_add_subtask {assigneeId}", needs: ["task.create"] },
      { transport: "mcp", path: "taskflow_assign_task (a subtask)" },
    ],
  },
  {
    name: "claim",
    what: "a worker takes a pending task under a lease: assigned to them, in progress (only a project member may)",
    decidedBy: { fn: "decideProjectAccess", file: "authorization/project-access.ts" },
    needs: ["task.work"],
    keyAction: "claim",
    paths: [
      { transport: "rest", path: "POST /api/tasks/{id}/claim" },
      { transport: "rest", path: "POST /api/tasks/claim-next {projectId}" },
      // Across projects: each project decided as one is (projectsAllowing).
      { transport: "rest", path: "POST /api/tasks/claim-next {}" },
      { transport: "mcp", path: "taskflow_claim_task {taskId}" },
      { transport: "mcp", path: "taskflow_claim_task {projectId}" },
      { transport: "mcp", path: "taskflow_claim_task {}" },
    ],
  },
  {
    name: "read a project",
    what: "the project, its tasks, comments, members, delegation chains, audit trail and insights are shown",
    decidedBy: { fn: "decideProjectAccess", file: "authorization/project-access.ts" },
    needs: ["project.read"],
    paths: [
      { transport: "rest", path: "GET /api/projects/{id}" },
      { transport: "rest", path: "GET /api/projects (lists it)" },
      { transport: "rest", path: "GET /api/projects/{id}/tasks" },
      { transport: "rest", path: "GET /api/tasks/recent (lists its task)" },
      { transport: "rest", path: "GET /api/tasks/{id}" },
      { transport: "rest", path: "GET /api/tasks/{id}/subtasks" },
      { transport: "rest", path: "GET /api/tasks/{id}/chain" },
      { transport: "rest", path: "GET /api/tasks/{id}/comments" },
      { transport: "rest", path: "GET /api/projects/{id}/members" },
      { transport: "rest", path: "GET /api/projects/{id}/audit", needs: ["audit.read"] },
      { transport: "rest", path: "GET /api/tasks/{id}/audit", needs: ["audit.read"] },
      { transport: "rest", path: "GET /api/projects/{id}/insights", needs: ["audit.read"] },
      { transport: "mcp", path: "taskflow_list_projects (lists it)" },
      { transport: "mcp", path: "taskflow_list_tasks" },
      { transport: "mcp", path: "taskflow_get_task" },
      { transport: "mcp", path: "taskflow_task_chain" },
      { transport: "mcp", path: "taskflow_task_audit", needs: ["audit.read"] },
      { transport: "mcp", path: "taskflow_project_audit", needs: ["audit.read"] },
      { transport: "mcp", path: "resources/read taskflow://tasks/{id}" },
      { transport: "dashboard", path: "home (/)" },
      { transport: "dashboard", path: "projects page (/projects)" },
      { transport: "dashboard", path: "board (/projects/{id})" },
      { transport: "dashboard", path: "tasks list (/projects/{id}/tasks)" },
      { transport: "dashboard", path: "activity (/projects/{id}/activity)", needs: ["audit.read"] },
      { transport: "dashboard", path: "insights (/projects/{id}/insights)", needs: ["audit.read"] },
      { transport: "dashboard", path: "task page (/tasks/{id})" },
    ],
  },
  {
    name: "see a person",
    what: "a worker of the organization is shown (handle, name, kind), and a person's email address where it may be seen",
    decidedBy: { fn: "workerVisibility", file: "workers/worker-visibility.ts" },
    needs: ["worker.read"],
    paths: [
      { transport: "rest", path: "GET /api/workers" },
      // Who am I: every working credential sees its own worker, through the same rule.
      { transport: "rest", path: "GET /api/workers/me", needs: [] },
      { transport: "rest", path: "GET /api/members/search?q=" },
      {
        transport: "rest",
        path: "GET /api/members/search?q=&projectId=",
        needs: ["worker.read", "project.read"],
      },
      { transport: "mcp", path: "taskflow_find_workers {q}" },
      {
        transport: "mcp",
        path: "taskflow_find_workers {q, projectId}",
        needs: ["worker.read", "project.read"],
      },
      {
        transport: "dashboard",
        path: "project settings: people to add (/projects/{id}/settings)",
        needs: ["worker.read", "project.read"],
      },
      { transport: "dashboard", path: "names of actors (home, activity, task and agent pages)" },
      { transport: "dashboard", path: "home: who am I (/)", needs: [] },
    ],
  },
  {
    name: "receive an event",
    what: "a project's live changes reach a stream, while it lives (re-decided within 5 s, at once on a loss its project announces)",
    decidedBy: { fn: "authorizeProjectEvents", file: "events/event-access.ts" },
    needs: ["project.read"],
    paths: [
      { transport: "stream", path: "GET /api/projects/{id}/events" },
      {
        transport: "dashboard",
        path: "live stream /api/projects/{id}/events (board, tasks, activity, task pages)",
      },
      { transport: "dashboard", path: "live stream /api/events?project={id} (home and agent pages)" },
    ],
  },
  {
    name: "add a member",
    what: "a worker of the organization joins a project with a role",
    decidedBy: { fn: "addMemberIn", file: "members/add-member.ts" },
    needs: ["member.manage"],
    paths: [
      { transport: "rest", path: "POST /api/projects/{id}/members {member}" },
      {
        transport: "rest",
        path: "POST /api/projects/{id}/members {owner}",
        needs: ["member.manage", "member.manage_owners"],
      },
      {
        transport: "rest",
        path: "POST /api/agents {joinProjects}",
        needs: ["agent.manage", "member.manage"],
      },
      { transport: "dashboard", path: "project settings: Add member" },
      {
        transport: "dashboard",
        path: "agent form: projects ticked",
        needs: ["agent.manage", "member.manage"],
      },
    ],
  },
  {
    name: "create a personal access token",
    what: "the caller gets a new personal access token (scopes at most the sign-in's)",
    decidedBy: { fn: "authorizeOrganizationEffect", file: "authorization/organization-access.ts" },
    needs: ["personal_token.manage"],
    paths: [
      { transport: "rest", path: "POST /api/personal-tokens" },
      { transport: "dashboard", path: "access tokens page: Create" },
    ],
  },
  {
    name: "revoke a personal access token",
    what: "one of the caller's own personal access tokens stops working",
    decidedBy: { fn: "authorizeOrganizationEffect", file: "authorization/organization-access.ts" },
    needs: ["personal_token.manage"],
    paths: [
      { transport: "rest", path: "DELETE /api/personal-tokens/{id}" },
      { transport: "dashboard", path: "access tokens page: Revoke" },
    ],
  },
  {
    name: "prompt",
    what: "a person tells a run's agent something, answers its question or asks it to stop (the run becomes pending; its endpoint is dispatched)",
    decidedBy: { fn: "authorizePrompt", file: "runs/authorize-run.ts" },
    needs: ["task.work"],
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
    needs: ["task.work"],
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
    needs: ["notification.read"],
    paths: [
      { transport: "rest", path: "GET /api/notifications" },
      { transport: "rest", path: "GET /api/notifications/unread-count" },
      { transport: "rest", path: "GET /api/notifications/events" },
      { transport: "dashboard", path: "Needs you: the inbox page" },
      { transport: "dashboard", path: "header: the unread badge" },
    ],
  },
] as const satisfies readonly Effect[];

export type ListedEffect = (typeof effects)[number];
export type EffectName = ListedEffect["name"];
