// The effect × path × caller matrix of the task workflow, generated from core's list of effects and their
// paths (packages/core/src/effects/effect-paths.ts), not typed out here: every path of an effect, driven
// as its real client drives it (REST over HTTP, the MCP SDK client, the dashboard's own mutations), by
// every kind of caller, must come to the same decision. A path added to the list without a driver here
// fails the suite, so a new door cannot be left out.
import { randomUUID } from "node:crypto";
import type { IssuedAgentKey, Project, Task, Worker } from "@taskflow/contracts";
import {
  actionScopes,
  defaultDelegationMaxDepth,
  type KeyAction,
  permissionKeyAction,
  roleAllows,
  schema,
  type TaskWorkflowEffect,
  taskWorkflowEffects,
} from "@taskflow/core";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mcpResource, startTestMcp, type TestMcp } from "../../mcp-server/test/support/test-mcp.ts";
import { type ApiClient, createApiClient } from "../src/lib/api-client.ts";
import { loadInbox, loadUnreadCount } from "../src/lib/inbox.ts";
import * as m from "../src/lib/mutations.ts";
import * as runs from "../src/lib/run-mutations.ts";

type Role = "viewer" | "member" | "admin" | "owner";
type EffectPath = TaskWorkflowEffect["paths"][number];

/** Someone calling: their REST credential, their MCP credential, and what should decide for them. */
interface Caller {
  label: string;
  kind: "person" | "agent";
  workerId: string;
  /** Their role in the project; null: they cannot see it (another tenant). */
  role: Role | null;
  /** An agent key's actions; null for people. */
  keyActions: KeyAction[] | null;
  /** A person's token scopes; null for agent keys. */
  tokenScopes: string[] | null;
  /** False for a credential that no longer works (a revoked key). */
  valid: boolean;
  restToken: string;
  mcpToken: string;
}

/** What one case works on: a task, the parent a new subtask goes under, a unique title, the worker to assign. */
interface Scene {
  taskId: string;
  parentId: string | null;
  title: string;
  assigneeId: string;
  /** An agent's run on the task, and a question on it (the run effects). */
  runId?: string;
  questionId?: string;
  /** A notification of the caller's, the only unread one they have (receiving a notification). */
  notificationId?: string;
}

const roles: Role[] = ["viewer", "member", "admin", "owner"];
const defaultActions: KeyAction[] = ["read", "write_tasks", "claim", "comment"];
const everyAction: KeyAction[] = [...defaultActions, "manage"];

let mcp: TestMcp;
let project: Project;
let ownerWorkerId: string;
let tenantId: string;
/** A member agent that callers assign and delegate to. */
let targetId: string;
const callers: Caller[] = [];

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
};

beforeAll(async () => {
  mcp = await startTestMcp();
  const api = mcp.api;
  const orgId = api.newTenant();
  tenantId = orgId;
  const owner = await api.signIn({ orgId, orgRole: "member" });
  // Registers the agents; an organization owner, so not among the callers (it acts as admin everywhere).
  const orgOwner = await api.signIn({ orgId, orgRole: "owner" });
  ownerWorkerId = owner.workerId;
  project = (await api.call<Project>("POST", "/api/projects", { token: owner.token, body: { name: "M" } }))
    .body;
  const mcpToken = (sub: string, org: string, scope = "openid taskflow:read taskflow:write") =>
    api.issuer.mint({ orgId: org, sub, orgRole: "member", audience: mcpResource, extra: { scope } });
  for (const role of roles) {
    const person = await api.signIn({ orgId, orgRole: "member" });
    await api.db
      .insert(schema.projectMembers)
      .values({ projectId: project.id, workerId: person.workerId, role });
    callers.push({
      label: `person (${role})`,
      kind: "person",
      workerId: person.workerId,
      role,
      keyActions: null,
      tokenScopes: ["taskflow:read", "taskflow:write"],
      valid: true,
      restToken: person.token,
      mcpToken: await mcpToken(person.sub, orgId),
    });
  }
  const agent = async (handle: string, role: Role) => {
    const registered = await api.call<{ agent: Worker; apiKey: IssuedAgentKey }>("POST", "/api/agents", {
      token: orgOwner.token,
      body: { handle, name: handle, agentType: "claude-code" },
    });
    await api.db
      .insert(schema.projectMembers)
      .values({ projectId: project.id, workerId: registered.body.agent.id, role });
    return registered.body.agent.id;
  };
  targetId = await agent("matrix-target", "member");
  const agents: [Role, KeyAction[]][] = [
    ["member", defaultActions],
    ["member", ["read"]],
    ["admin", defaultActions],
    ["admin", everyAction],
    ["admin", ["read", "manage"]],
  ];
  for (const [index, [role, actions]] of agents.entries()) {
    const agentId = await agent(`matrix-${index}`, role);
    const key = await api.call<IssuedAgentKey>("POST", `/api/agents/${agentId}/keys`, {
      token: orgOwner.token,
      body: { scopes: { actions } },
    });
    callers.push({
      label: `agent (${role}, key: ${actions.join("+")})`,
      kind: "agent",
      workerId: agentId,
      role,
      keyActions: actions,
      tokenScopes: null,
      valid: true,
      restToken: key.body.key,
      mcpToken: key.body.key,
    });
  }
  // An admin whose token may only read: the token's scope decides, whatever the role.
  const reader = await api.signIn({ orgId, orgRole: "member", extra: { scope: "openid taskflow:read" } });
  await api.db
    .insert(schema.projectMembers)
    .values({ projectId: project.id, workerId: reader.workerId, role: "admin" });
  callers.push({
    label: "person (admin, token: taskflow:read)",
    kind: "person",
    workerId: reader.workerId,
    role: "admin",
    keyActions: null,
    tokenScopes: ["taskflow:read"],
    valid: true,
    restToken: reader.token,
    mcpToken: await mcpToken(reader.sub, orgId, "openid taskflow:read"),
  });
  // An admin removed from the project: as if never in it.
  const removed = await api.signIn({ orgId, orgRole: "member" });
  await api.db
    .insert(schema.projectMembers)
    .values({ projectId: project.id, workerId: removed.workerId, role: "admin" });
  const removal = await api.call("DELETE", `/api/projects/${project.id}/members/${removed.workerId}`, {
    token: owner.token,
  });
  expect(removal.status).toBe(204);
  callers.push({
    label: "person removed from the project (was admin)",
    kind: "person",
    workerId: removed.workerId,
    role: null,
    keyActions: null,
    tokenScopes: ["taskflow:read", "taskflow:write"],
    valid: true,
    restToken: removed.token,
    mcpToken: await mcpToken(removed.sub, orgId),
  });
  // An admin agent whose key, allowed everything, was revoked.
  const revokedId = await agent("matrix-revoked", "admin");
  const revokedKey = await api.call<IssuedAgentKey>("POST", `/api/agents/${revokedId}/keys`, {
    token: orgOwner.token,
    body: { scopes: { actions: everyAction } },
  });
  const revocation = await api.call("DELETE", `/api/agents/${revokedId}/keys/${revokedKey.body.id}`, {
    token: orgOwner.token,
  });
  expect(revocation.status).toBe(204);
  callers.push({
    label: "agent (admin, revoked key)",
    kind: "agent",
    workerId: revokedId,
    role: "admin",
    keyActions: everyAction,
    tokenScopes: null,
    valid: false,
    restToken: revokedKey.body.key,
    mcpToken: revokedKey.body.key,
  });
  const otherOrg = api.newTenant();
  const outsider = await api.signIn({ orgId: otherOrg, orgRole: "owner" });
  callers.push({
    label: "another tenant's owner",
    kind: "person",
    workerId: outsider.workerId,
    role: null,
    keyActions: null,
    tokenScopes: ["taskflow:read", "taskflow:write"],
    valid: true,
    restToken: outsider.token,
    mcpToken: await mcpToken(outsider.sub, otherOrg),
  });
}, 120_000);

afterAll(async () => {
  await mcp?.close();
});

/** Drives one path for one caller in one scene; the database says afterwards what happened. */
type Driver = (caller: Caller, scene: Scene) => Promise<unknown>;

const rest =
  (method: string, path: (scene: Scene) => string, body: (scene: Scene) => Record<string, unknown>): Driver =>
  (caller, scene) =>
    mcp.api.call(method, path(scene), { token: caller.restToken, body: body(scene) });

const tool =
  (name: string, args: (scene: Scene) => Record<string, unknown>): Driver =>
  async (caller, scene) => {
    // A credential refused at the door (401, or 403 for a token's scope) never reaches the tool: the
    // client throws, and the database shows nothing happened.
    const client = await mcp.connect(caller.mcpToken).catch(() => null);
    if (!client) return null;
    try {
      return await client.call(name, args(scene)).catch(() => null);
    } finally {
      await client.close();
    }
  };

const dashboard =
  (run: (api: ApiClient, scene: Scene) => Promise<unknown>): Driver =>
  (caller, scene) =>
    run(createApiClient(mcp.api.baseUrl, caller.restToken), scene);

/**
 * The live inbox as a browser opens it: the first `inbox` event (the unread count), or the refusal. A stream that
 * opens is read for at most two seconds.
 */
const inboxStream = (): Driver => async (caller) => {
  const controller = new AbortController();
  const res = await fetch(`${mcp.api.baseUrl}/api/notifications/events`, {
    headers: { authorization: `Bearer ${caller.restToken}`, accept: "text/event-stream" },
    signal: controller.signal,
  });
  let text = "";
  const reader = res.body?.getReader();
  const until = Date.now() + 2_000;
  while (reader && res.ok && !/event: inbox\ndata: .*\n/.test(text) && Date.now() < until) {
    const chunk = await Promise.race([
      reader.read(),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), until - Date.now())),
    ]);
    if (!chunk || chunk.done) break;
    text += new TextDecoder().decode(chunk.value);
  }
  controller.abort();
  const data = /event: inbox\ndata: (.*)\n/.exec(text)?.[1];
  return { status: res.status, body: data ? JSON.parse(data) : null };
};

const onTask = (suffix: string) => (scene: Scene) => `/api/tasks/${scene.taskId}${suffix}`;
const onRun = (suffix: string) => (scene: Scene) => `/api/runs/${scene.runId}${suffix}`;
const onParent = (suffix: string) => (scene: Scene) => `/api/tasks/${scene.parentId}${suffix}`;
const inProject = () => `/api/projects/${project.id}/tasks`;
const taskId =
  (extra: Record<string, unknown> = {}) =>
  (scene: Scene) => ({ taskId: scene.taskId, ...extra });
const assign = (scene: Scene) => ({ assigneeId: scene.assigneeId });
const titled = (scene: Scene) => ({ title: scene.title, assigneeId: scene.assigneeId });

const drivers: Record<EffectPath["path"], Driver> = {
  "POST /api/tasks/{id}/approve": rest("POST", onTask("/approve"), () => ({})),
  "PATCH /api/tasks/{id}/status {completed}": rest("PATCH", onTask("/status"), () => ({
    status: "completed",
  })),
  taskflow_approve_task: tool("taskflow_approve_task", taskId()),
  taskflow_complete_task: tool("taskflow_complete_task", taskId()),
  "review panel: Approve": dashboard((api, s) => m.approveTask(api, s.taskId, form({}))),
  "board: move to Completed": dashboard((api, s) => m.moveTask(api, s.taskId, "completed")),
  "POST /api/tasks/{id}/reject": rest("POST", onTask("/reject"), () => ({ reason: "Redo it" })),
  "PATCH /api/tasks/{id}/status {in_progress}": rest("PATCH", onTask("/status"), () => ({
    status: "in_progress",
  })),
  taskflow_reject_task: tool("taskflow_reject_task", taskId({ reason: "Redo it" })),
  taskflow_start_task: tool("taskflow_start_task", taskId()),
  "review panel: Reject": dashboard((api, s) => m.rejectTask(api, s.taskId, form({ reason: "Redo it" }))),
  "board: move to In progress": dashboard((api, s) => m.moveTask(api, s.taskId, "in_progress")),
  "PATCH /api/tasks/{id}/status {review}": rest("PATCH", onTask("/status"), () => ({ status: "review" })),
  "PATCH /api/tasks/{id}/status {blocked}": rest("PATCH", onTask("/status"), () => ({ status: "blocked" })),
  taskflow_request_review: tool("taskflow_request_review", taskId()),
  taskflow_block_task: tool("taskflow_block_task", taskId({ note: "Waiting on the keys" })),
  "board: move to In review": dashboard((api, s) => m.moveTask(api, s.taskId, "review")),
  "board: move to Blocked": dashboard((api, s) => m.moveTask(api, s.taskId, "blocked")),
  "PATCH /api/tasks/{id}/assign": rest("PATCH", onTask("/assign"), assign),
  "POST /api/projects/{id}/tasks {assigneeId}": rest("POST", inProject, titled),
  taskflow_assign_task: tool("taskflow_assign_task", (s) => ({ taskId: s.taskId, assigneeId: s.assigneeId })),
  "taskflow_add_task {assigneeId}": tool("taskflow_add_task", (s) => ({
    projectId: project.id,
    ...titled(s),
  })),
  "task page: edit form, Assignee": dashboard(async (api, s) => {
    const read = await api.call<Task>(`/api/tasks/${s.taskId}`);
    if (!read.ok) return read;
    return m.updateTask(api, read.data, form({ title: read.data.title, assigneeId: s.assigneeId }));
  }),
  "new task form, Assignee": dashboard((api, s) =>
    m.createTask(api, project.id, form({ title: s.title, assigneeId: s.assigneeId })),
  ),
  "POST /api/tasks/{id}/subtasks {assigneeId}": rest("POST", onParent("/subtasks"), titled),
  "POST /api/projects/{id}/tasks {parentId, assigneeId}": rest("POST", inProject, (s) => ({
    ...titled(s),
    parentId: s.parentId,
  })),
  "PATCH /api/tasks/{id}/assign (a subtask)": rest("PATCH", onTask("/assign"), assign),
  "taskflow_add_subtask {assigneeId}": tool("taskflow_add_subtask", (s) => ({
    parentId: s.parentId,
    ...titled(s),
  })),
  "taskflow_assign_task (a subtask)": tool("taskflow_assign_task", (s) => ({
    taskId: s.taskId,
    assigneeId: s.assigneeId,
  })),
  "POST /api/runs/{id}/activities {prompt}": rest("POST", onRun("/activities"), () => ({
    type: "prompt",
    body: "Carry on",
  })),
  "POST /api/runs/{id}/activities {prompt, answers}": rest("POST", onRun("/activities"), (s) => ({
    type: "prompt",
    answers: s.questionId,
    selected: ["yes"],
  })),
  "POST /api/runs/{id}/activities {prompt, signal: stop}": rest("POST", onRun("/activities"), () => ({
    type: "prompt",
    signal: "stop",
  })),
  "POST /api/tasks/{id}/stop": rest("POST", onTask("/stop"), () => ({ reason: "Enough" })),
  "taskflow_post_activity {prompt}": tool("taskflow_post_activity", (s) => ({
    runId: s.runId,
    type: "prompt",
    body: "Carry on",
  })),
  "run view: prompt box": dashboard((api, s) =>
    runs.promptRun(api, s.runId ?? "", form({ body: "Carry on" })),
  ),
  "run view: answer buttons": dashboard((api, s) =>
    runs.answerQuestion(api, s.runId ?? "", s.questionId ?? "", form({ selected: "yes" })),
  ),
  "run view: Stop": dashboard((api, s) => runs.stopRun(api, s.runId ?? "", form({}))),
  "POST /api/runs/{id}/activities {thought}": rest("POST", onRun("/activities"), () => ({
    type: "thought",
    body: "Thinking it through",
  })),
  "POST /api/runs/{id}/activities {elicitation}": rest("POST", onRun("/activities"), () => ({
    type: "elicitation",
    body: "Which one?",
  })),
  "taskflow_post_activity {thought}": tool("taskflow_post_activity", (s) => ({
    runId: s.runId,
    type: "thought",
    body: "Thinking it through",
  })),
  "GET /api/notifications": (caller) =>
    mcp.api.call("GET", "/api/notifications", { token: caller.restToken }),
  "GET /api/notifications/unread-count": (caller) =>
    mcp.api.call("GET", "/api/notifications/unread-count", { token: caller.restToken }),
  "GET /api/notifications/events": inboxStream(),
  "Needs you: the inbox page": dashboard((api) => loadInbox(api, {})),
  "header: the unread badge": dashboard((api) => loadUnreadCount(api)),
  taskflow_ask_and_wait: tool("taskflow_ask_and_wait", (s) => ({
    runId: s.runId,
    question: "Which one?",
    waitSeconds: 0,
  })),
};

async function insertTask(values: Partial<typeof schema.tasks.$inferInsert> = {}): Promise<string> {
  const id = randomUUID();
  await mcp.api.db.insert(schema.tasks).values({
    id,
    tenantId,
    projectId: project.id,
    title: "Matrix",
    creatorId: ownerWorkerId,
    ...values,
  });
  return id;
}

/** A chain of `links` delegated subtasks under a new root: its last task, where the next subtask goes. */
async function chainWith(links: number): Promise<string> {
  let parentId = await insertTask();
  for (let i = 0; i < links; i++) {
    parentId = await insertTask({ parentId, assigneeId: targetId, delegatedById: targetId });
  }
  return parentId;
}

/** The task a case ended with: the scene's own, or the one it created under the scene's title. */
async function outcomeTask(scene: Scene) {
  const byTitle = await mcp.api.db.select().from(schema.tasks).where(eq(schema.tasks.title, scene.title));
  const [own] = await mcp.api.db.select().from(schema.tasks).where(eq(schema.tasks.id, scene.taskId));
  return byTitle[0] ?? own;
}

interface Variant {
  label: string;
  scene(caller: Caller): Promise<Scene>;
  /** "happened" or "refused", with what a case must also show when it happened; `answer` is what the driver got. */
  outcome(scene: Scene, caller: Caller, answer: unknown): Promise<string>;
  /** The rule's answer for this caller, beyond the role and the key. */
  allows?(caller: Caller): boolean;
  /** What the outcome must show when it happened. */
  expectedWhenHappened?(caller: Caller): string;
}

const statusVariant = (from: Task["status"], to: Task["status"]): Variant[] => [
  {
    label: `a task in ${from}`,
    scene: async () => ({
      taskId: await insertTask({ status: from }),
      parentId: null,
      title: `t-${randomUUID()}`,
      assigneeId: targetId,
    }),
    outcome: async (scene) => ((await outcomeTask(scene))?.status === to ? "happened" : "refused"),
  },
];

/**
 * A task the agent `agentId` holds (a live claim) with its run open on it, awaiting the answer to a question with
 * choices yes and no: written straight to the database, as the other scenes are.
 */
async function runScene(agentId: string): Promise<Scene> {
  const now = Date.now();
  const taskId = await insertTask({
    status: "in_progress",
    assigneeId: agentId,
    claimedById: agentId,
    claimedAt: new Date(now),
    leaseExpiresAt: new Date(now + 600_000),
    leaseSeconds: 600,
  });
  const [run] = await mcp.api.db
    .insert(schema.agentRuns)
    .values({
      tenantId,
      projectId: project.id,
      taskId,
      agentId,
      state: "awaiting_input",
      origin: "claim",
      lastSeq: 1,
    })
    .returning();
  if (!run) throw new Error("no run");
  const [question] = await mcp.api.db
    .insert(schema.runActivities)
    .values({
      tenantId,
      runId: run.id,
      seq: 1,
      type: "elicitation",
      authorId: agentId,
      body: "Go ahead?",
      choices: [
        { value: "yes", label: "Yes" },
        { value: "no", label: "No" },
      ],
      multiple: false,
    })
    .returning();
  return {
    taskId,
    parentId: null,
    title: `t-${randomUUID()}`,
    assigneeId: agentId,
    runId: run.id,
    questionId: question?.id,
  };
}

/** What the caller added to the scene's run: a prompt, or anything else (the agent's report). */
const runOutcome = (kind: "prompt" | "report") => async (scene: Scene, caller: Caller) => {
  const rows = await mcp.api.db
    .select()
    .from(schema.runActivities)
    .where(eq(schema.runActivities.runId, scene.runId ?? ""));
  // The scene's own question (seq 1) is the run's agent's; only what the case added counts.
  const mine = rows.filter(
    (row) =>
      row.seq > 1 && row.authorId === caller.workerId && (row.type === "prompt") === (kind === "prompt"),
  );
  return mine.length > 0 ? "happened" : "refused";
};

/** A notification for the caller in the project, their only unread one, with the scene's title. */
async function notificationScene(caller: Caller): Promise<Scene> {
  const title = `n-${randomUUID()}`;
  const taskId = await insertTask();
  await mcp.api.db
    .update(schema.notifications)
    .set({ readAt: new Date() })
    .where(eq(schema.notifications.recipientId, caller.workerId));
  const [row] = await mcp.api.db
    .insert(schema.notifications)
    .values({
      tenantId,
      recipientId: caller.workerId,
      projectId: project.id,
      taskId,
      kind: "mention",
      title,
    })
    .returning();
  return { taskId, parentId: null, title, assigneeId: targetId, ...(row ? { notificationId: row.id } : {}) };
}

/**
 * Whether the answer shows the scene's notification: listed (REST or the inbox page), or counted as the one
 * unread (the count, the badge, the live inbox's first event).
 */
async function receivedOutcome(scene: Scene, _caller: Caller, answer: unknown): Promise<string> {
  const { status, body } = (answer ?? {}) as { status?: number; body?: unknown };
  const dashboard = answer as { ok?: boolean; data?: unknown };
  const payload = dashboard?.ok === true ? dashboard.data : status === 200 ? body : undefined;
  const items = (payload as { items?: { id: string }[] } | undefined)?.items;
  if (items) return items.some((n) => n.id === scene.notificationId) ? "happened" : "refused";
  const unread = (payload as { unread?: number } | undefined)?.unread;
  return unread === 1 ? "happened" : "refused";
}

const assignOutcome = async (scene: Scene) => {
  const task = await outcomeTask(scene);
  return task?.assigneeId === scene.assigneeId ? `happened, delegatedById=${task.delegatedById}` : "refused";
};

const variants: Record<TaskWorkflowEffect["name"], Variant[]> = {
  approve: statusVariant("review", "completed"),
  reject: statusVariant("review", "in_progress"),
  "hand in": [
    {
      label: "a task in progress, claimed by its agent",
      scene: async () => {
        const now = Date.now();
        const id = await insertTask({
          status: "in_progress",
          assigneeId: targetId,
          claimedById: targetId,
          claimedAt: new Date(now),
          leaseExpiresAt: new Date(now + 600_000),
          leaseSeconds: 600,
        });
        return { taskId: id, parentId: null, title: `t-${randomUUID()}`, assigneeId: targetId };
      },
      // Whoever hands the work in (the agent itself, or a person for it), the claim ends and the assignee stays.
      outcome: async (scene) => {
        const task = await outcomeTask(scene);
        if (task?.status === "in_progress") return "refused";
        return `happened, claimedBy=${task?.claimedById ?? "nobody"}, assignee kept=${task?.assigneeId === scene.assigneeId}`;
      },
      expectedWhenHappened: () => "happened, claimedBy=nobody, assignee kept=true",
    },
  ],
  assign: [
    {
      label: "a top-level task",
      scene: async () => ({
        taskId: await insertTask(),
        parentId: null,
        title: `t-${randomUUID()}`,
        assigneeId: targetId,
      }),
      outcome: assignOutcome,
      // Nobody delegates a top-level task.
      expectedWhenHappened: () => "happened, delegatedById=null",
    },
  ],
  delegate: [
    {
      label: "a subtask below the depth cap",
      scene: async () => {
        const parentId = await chainWith(defaultDelegationMaxDepth - 1);
        return {
          taskId: await insertTask({ parentId }),
          parentId,
          title: `t-${randomUUID()}`,
          assigneeId: targetId,
        };
      },
      outcome: assignOutcome,
      // An agent's hand-off is recorded as its own; a person's assignment is a re-plan, not a link.
      expectedWhenHappened: (caller) =>
        `happened, delegatedById=${caller.kind === "agent" ? caller.workerId : "null"}`,
    },
    {
      label: "a subtask whose chain is at the depth cap",
      scene: async () => {
        const parentId = await chainWith(defaultDelegationMaxDepth);
        return {
          taskId: await insertTask({ parentId }),
          parentId,
          title: `t-${randomUUID()}`,
          assigneeId: targetId,
        };
      },
      outcome: assignOutcome,
      allows: (caller) => caller.kind === "person",
      expectedWhenHappened: () => "happened, delegatedById=null",
    },
  ],
  prompt: [
    {
      label: "an agent's run awaiting an answer, on a task it holds",
      scene: () => runScene(targetId),
      outcome: runOutcome("prompt"),
      // Prompts are people's.
      allows: (caller) => caller.kind === "person",
    },
  ],
  "receive a notification": [
    {
      label: "a notification of theirs in the project",
      scene: notificationScene,
      outcome: receivedOutcome,
      // People have inboxes; agents learn of work through their runs.
      allows: (caller) => caller.kind === "person",
    },
  ],
  report: [
    {
      label: "the caller's own run (an agent's; a person is shown another agent's)",
      scene: (caller) => runScene(caller.kind === "agent" ? caller.workerId : targetId),
      outcome: runOutcome("report"),
      allows: (caller) => caller.kind === "agent",
    },
    {
      label: "another agent's run",
      scene: () => runScene(targetId),
      outcome: runOutcome("report"),
      allows: () => false,
    },
  ],
};

/**
 * The rule, from the same tables core decides with: the credential works, the caller's role allows the
 * permission, a person's token carries its scope, an agent's key its action.
 */
function allowed(effect: TaskWorkflowEffect, path: EffectPath, variant: Variant, caller: Caller): boolean {
  const permission = "permission" in path ? path.permission : effect.permission;
  if (!caller.valid || !caller.role || !roleAllows(caller.role, permission)) return false;
  if (caller.tokenScopes && !caller.tokenScopes.includes(actionScopes[permission])) return false;
  if (caller.keyActions && !caller.keyActions.includes(permissionKeyAction[permission])) return false;
  return variant.allows?.(caller) ?? true;
}

const cases = taskWorkflowEffects.flatMap((effect) =>
  effect.paths.flatMap((path) =>
    variants[effect.name].map((variant) => ({
      effect,
      path,
      variant,
      label: `${effect.name} via ${path.transport} ${path.path}, on ${variant.label}`,
    })),
  ),
);

describe("every path to an effect has a driver", () => {
  it("drives each path the list names, and only those", () => {
    expect(Object.keys(drivers).sort()).toEqual(
      [...new Set(taskWorkflowEffects.flatMap((e) => e.paths.map((p) => p.path)))].sort(),
    );
  });
});

describe.each(cases)("$label", ({ effect, path, variant }) => {
  it("happens exactly for the callers the rule allows", async () => {
    const outcomes: string[] = [];
    const expected: string[] = [];
    // The dashboard is a person's; agents reach the same routes through REST.
    for (const caller of callers.filter((c) => path.transport !== "dashboard" || c.kind === "person")) {
      const scene = await variant.scene(caller);
      const answer = await drivers[path.path](caller, scene);
      outcomes.push(`${caller.label}: ${await variant.outcome(scene, caller, answer)}`);
      const yes = allowed(effect, path, variant, caller);
      expected.push(
        `${caller.label}: ${yes ? (variant.expectedWhenHappened?.(caller) ?? "happened") : "refused"}`,
      );
    }
    expect(outcomes).toEqual(expected);
  });
});
