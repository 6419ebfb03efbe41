// The task workflow's effects (approve, reject, complete, hand in, assign, delegate): each path driven as
// its real client drives it (REST over HTTP, the MCP SDK client, the dashboard's own mutations), and the
// database says afterwards what happened.
import { randomUUID } from "node:crypto";
import type { Task } from "@taskflow/contracts";
import { defaultDelegationMaxDepth, type EffectName, schema } from "@taskflow/core";
import { eq } from "drizzle-orm";
import { type ApiClient, createApiClient } from "../../../src/lib/api-client.ts";
import * as m from "../../../src/lib/mutations.ts";
import { type Driver, driversFor, type Group, type Variant } from "../support/matrix.ts";
import type { Caller, World } from "../support/world.ts";

/** What one case works on: a task, the parent a new subtask goes under, a unique title, the worker to assign. */
export interface TaskScene {
  taskId: string;
  parentId: string | null;
  title: string;
  assigneeId: string;
}

/** A form as the dashboard's mutations receive it. */
export const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
};

const rest =
  (
    method: string,
    path: (w: World, s: TaskScene) => string,
    body: (s: TaskScene) => Record<string, unknown>,
  ): Driver<TaskScene> =>
  (w, caller, scene) =>
    w.api.call(method, path(w, scene), { token: caller.rest, body: body(scene) });

/** A tool call from the caller's MCP client; a credential refused at the door never reaches the tool. */
export const tool =
  <S>(name: string, args: (w: World, s: S) => Record<string, unknown>): Driver<S> =>
  async (w, caller, scene) => {
    const client = await w.mcpClient(caller);
    return client ? client.call(name, args(w, scene)) : null;
  };

/** One of the dashboard's mutations, with the session's token (the dashboard's own OAuth client). */
export const dashboard =
  <S>(run: (api: ApiClient, w: World, s: S) => Promise<unknown>): Driver<S> =>
  (w, caller, scene) =>
    run(createApiClient(w.api.baseUrl, caller.dashboard ?? ""), w, scene);

const onTask = (suffix: string) => (_: World, s: TaskScene) => `/api/tasks/${s.taskId}${suffix}`;
const onParent = (suffix: string) => (_: World, s: TaskScene) => `/api/tasks/${s.parentId}${suffix}`;
const inProject = (w: World) => `/api/projects/${w.project.id}/tasks`;
const taskId =
  (extra: Record<string, unknown> = {}) =>
  (_: World, s: TaskScene) => ({ taskId: s.taskId, ...extra });
const assign = (s: TaskScene) => ({ assigneeId: s.assigneeId });
const titled = (s: TaskScene) => ({ title: s.title, assigneeId: s.assigneeId });

const drivers: Record<string, Driver<TaskScene>> = {
  "POST /api/tasks/{id}/approve": rest("POST", onTask("/approve"), () => ({})),
  "PATCH /api/tasks/{id}/status {completed}": rest("PATCH", onTask("/status"), () => ({
    status: "completed",
  })),
  taskflow_approve_task: tool("taskflow_approve_task", taskId()),
  taskflow_complete_task: tool("taskflow_complete_task", taskId()),
  "review panel: Approve": dashboard((api, _, s) => m.approveTask(api, s.taskId, form({}))),
  "board: move to Completed": dashboard((api, _, s) => m.moveTask(api, s.taskId, "completed")),
  "POST /api/tasks/{id}/reject": rest("POST", onTask("/reject"), () => ({ reason: "Redo it" })),
  "PATCH /api/tasks/{id}/status {in_progress}": rest("PATCH", onTask("/status"), () => ({
    status: "in_progress",
  })),
  taskflow_reject_task: tool("taskflow_reject_task", taskId({ reason: "Redo it" })),
  taskflow_start_task: tool("taskflow_start_task", taskId()),
  "review panel: Reject": dashboard((api, _, s) => m.rejectTask(api, s.taskId, form({ reason: "Redo it" }))),
  "board: move to In progress": dashboard((api, _, s) => m.moveTask(api, s.taskId, "in_progress")),
  "PATCH /api/tasks/{id}/status {review}": rest("PATCH", onTask("/status"), () => ({ status: "review" })),
  "PATCH /api/tasks/{id}/status {blocked}": rest("PATCH", onTask("/status"), () => ({ status: "blocked" })),
  taskflow_request_review: tool("taskflow_request_review", taskId()),
  taskflow_block_task: tool("taskflow_block_task", taskId({ note: "Waiting on the keys" })),
  "board: move to In review": dashboard((api, _, s) => m.moveTask(api, s.taskId, "review")),
  "board: move to Blocked": dashboard((api, _, s) => m.moveTask(api, s.taskId, "blocked")),
  "PATCH /api/tasks/{id}/assign": rest("PATCH", onTask("/assign"), assign),
  "POST /api/projects/{id}/tasks {assigneeId}": rest("POST", inProject, titled),
  taskflow_assign_task: tool("taskflow_assign_task", (_, s) => ({
    taskId: s.taskId,
    assigneeId: s.assigneeId,
  })),
  "taskflow_add_task {assigneeId}": tool("taskflow_add_task", (w, s) => ({
    projectId: w.project.id,
    ...titled(s),
  })),
  "task page: edit form, Assignee": dashboard(async (api, _, s) => {
    const read = await api.call<Task>(`/api/tasks/${s.taskId}`);
    if (!read.ok) return read;
    return m.updateTask(api, read.data, form({ title: read.data.title, assigneeId: s.assigneeId }));
  }),
  "new task form, Assignee": dashboard((api, w, s) =>
    m.createTask(api, w.project.id, form({ title: s.title, assigneeId: s.assigneeId })),
  ),
  "POST /api/tasks/{id}/subtasks {assigneeId}": rest("POST", onParent("/subtasks"), titled),
  "POST /api/projects/{id}/tasks {parentId, assigneeId}": rest("POST", inProject, (s) => ({
    ...titled(s),
    parentId: s.parentId,
  })),
  "PATCH /api/tasks/{id}/assign (a subtask)": rest("PATCH", onTask("/assign"), assign),
  "taskflow_add_subtask {assigneeId}": tool("taskflow_add_subtask", (_, s) => ({
    parentId: s.parentId,
    ...titled(s),
  })),
  "taskflow_assign_task (a subtask)": tool("taskflow_assign_task", (_, s) => ({
    taskId: s.taskId,
    assigneeId: s.assigneeId,
  })),
};

export async function insertTask(
  w: World,
  values: Partial<typeof schema.tasks.$inferInsert> = {},
): Promise<string> {
  const id = randomUUID();
  await w.api.db.insert(schema.tasks).values({
    id,
    tenantId: w.tenantId,
    projectId: w.project.id,
    title: "Matrix",
    creatorId: w.owner.workerId,
    ...values,
  });
  return id;
}

/** A chain of `links` delegated subtasks under a new root: its last task, where the next subtask goes. */
async function chainWith(w: World, links: number): Promise<string> {
  let parentId = await insertTask(w);
  for (let i = 0; i < links; i++) {
    parentId = await insertTask(w, { parentId, assigneeId: w.targetId, delegatedById: w.targetId });
  }
  return parentId;
}

/** The task a case ended with: the one it created under the scene's title, or the scene's own. */
async function outcomeTask(w: World, scene: TaskScene) {
  const [created] = await w.api.db.select().from(schema.tasks).where(eq(schema.tasks.title, scene.title));
  const [own] = await w.api.db.select().from(schema.tasks).where(eq(schema.tasks.id, scene.taskId));
  return created ?? own;
}

const title = () => `t-${randomUUID()}`;

const taskIn =
  (values: Partial<typeof schema.tasks.$inferInsert> = {}) =>
  async (w: World): Promise<TaskScene> => ({
    taskId: await insertTask(w, values),
    parentId: null,
    title: title(),
    assigneeId: w.targetId,
  });

const assignOutcome = async (w: World, scene: TaskScene) => {
  const task = await outcomeTask(w, scene);
  return task?.assigneeId === scene.assigneeId ? `happened, delegatedById=${task.delegatedById}` : "refused";
};

const subtaskBelow = (links: number) => async (w: World) => {
  const parentId = await chainWith(w, links);
  return { taskId: await insertTask(w, { parentId }), parentId, title: title(), assigneeId: w.targetId };
};

const handIn: Variant<TaskScene> = {
  label: "a task in progress, claimed by its agent",
  scene: (w) => {
    const now = Date.now();
    return taskIn({
      status: "in_progress",
      assigneeId: w.targetId,
      claimedById: w.targetId,
      claimedAt: new Date(now),
      leaseExpiresAt: new Date(now + 600_000),
      leaseSeconds: 600,
    })(w);
  },
  // Whoever hands the work in (the agent itself, or a person for it), the claim ends and the assignee stays.
  outcome: async (w, scene) => {
    const task = await outcomeTask(w, scene);
    if (task?.status === "in_progress") return "refused";
    return `happened, claimedBy=${task?.claimedById ?? "nobody"}, assignee kept=${task?.assigneeId === scene.assigneeId}`;
  },
  expectedWhenHappened: () => "happened, claimedBy=nobody, assignee kept=true",
};

const fixed: Partial<Record<EffectName, Variant<TaskScene>[]>> = {
  "hand in": [handIn],
  assign: [
    {
      label: "a top-level task",
      scene: (w) => taskIn()(w),
      outcome: assignOutcome,
      // Nobody delegates a top-level task.
      expectedWhenHappened: () => "happened, delegatedById=null",
    },
  ],
  delegate: [
    {
      label: "a subtask below the depth cap",
      scene: (w) => subtaskBelow(defaultDelegationMaxDepth - 1)(w),
      outcome: assignOutcome,
      // An agent's hand-off is recorded as its own; a person's assignment is a re-plan, not a link.
      expectedWhenHappened: (_, caller: Caller) =>
        `happened, delegatedById=${caller.kind === "agent" ? caller.workerId : "null"}`,
    },
    {
      label: "a subtask whose chain is at the depth cap",
      scene: (w) => subtaskBelow(defaultDelegationMaxDepth)(w),
      outcome: assignOutcome,
      // The cap: agents may not delegate further down; people re-plan, uncapped.
      allows: (caller) => caller.kind === "person",
      expectedWhenHappened: () => "happened, delegatedById=null",
    },
  ],
};

function variants(
  effect: Parameters<Group<TaskScene>["variants"]>[0],
  path: Parameters<Group<TaskScene>["variants"]>[1],
) {
  if (!("moves" in effect)) return fixed[effect.name] ?? [];
  // A status change: one scene per status it moves from (those of the path, if it names them).
  const { to } = effect.moves;
  const from: readonly string[] = path.from ?? effect.moves.from;
  return effect.moves.from
    .filter((status) => from.includes(status))
    .map(
      (status): Variant<TaskScene> => ({
        label: `a task in ${status}`,
        from: status,
        scene: (w) => taskIn({ status, ...(status === "in_progress" ? { startedAt: new Date() } : {}) })(w),
        outcome: async (w, scene) => ((await outcomeTask(w, scene))?.status === to ? "happened" : "refused"),
      }),
    );
}

const statusEffects = ["approve", "reject", "complete", "hand in"] as const satisfies readonly EffectName[];
const assignmentEffects = ["assign", "delegate"] as const satisfies readonly EffectName[];

export const statusGroup: Group<TaskScene> = {
  effects: statusEffects,
  drivers: driversFor(drivers, statusEffects),
  variants,
};

export const assignmentGroup: Group<TaskScene> = {
  effects: assignmentEffects,
  drivers: driversFor(drivers, assignmentEffects),
  variants,
};

export const workflowDrivers = drivers;
