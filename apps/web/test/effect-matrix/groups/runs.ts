// Agent runs and the inbox (prompt, report, receive a notification): each path driven as its real client
// drives it (REST over HTTP, the MCP SDK client, the dashboard's own mutations and loaders, the live inbox
// as a browser opens it), and the database or the answer says afterwards what happened.
import { randomUUID } from "node:crypto";
import { type EffectName, schema } from "@taskflow/core";
import { eq } from "drizzle-orm";
import { loadInbox, loadUnreadCount } from "../../../src/lib/inbox.ts";
import * as runs from "../../../src/lib/run-mutations.ts";
import { type Driver, driversFor, type Group, type Variant } from "../support/matrix.ts";
import type { Caller, World } from "../support/world.ts";
import { dashboard, form, insertTask, tool } from "./workflow.ts";

/** A task held by an agent with its run awaiting an answer to a question; or a notification of the caller's. */
export interface RunScene {
  taskId: string;
  runId: string;
  questionId: string;
  /** The caller's only unread notification (receiving a notification). */
  notificationId: string;
}

const rest =
  (method: string, path: (s: RunScene) => string, body: (s: RunScene) => Record<string, unknown>) =>
  (w: World, caller: Caller, scene: RunScene) =>
    w.api.call(method, path(scene), { token: caller.rest, body: body(scene) });

const onRun = (suffix: string) => (s: RunScene) => `/api/runs/${s.runId}${suffix}`;

/** The live inbox as a browser opens it: the first `inbox` event (the unread count), or the refusal. */
const inboxStream: Driver<RunScene> = async (w, caller) => {
  const controller = new AbortController();
  const res = await fetch(`${w.api.baseUrl}/api/notifications/events`, {
    headers: { authorization: `Bearer ${caller.rest}`, accept: "text/event-stream" },
    signal: controller.signal,
  });
  let text = "";
  const reader = res.body?.getReader();
  const until = Date.now() + 5_000;
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

const drivers: Record<string, Driver<RunScene>> = {
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
  "POST /api/tasks/{id}/stop": rest(
    "POST",
    (s) => `/api/tasks/${s.taskId}/stop`,
    () => ({ reason: "Enough" }),
  ),
  "taskflow_post_activity {prompt}": tool("taskflow_post_activity", (_, s: RunScene) => ({
    runId: s.runId,
    type: "prompt",
    body: "Carry on",
  })),
  "run view: prompt box": dashboard((api, _, s: RunScene) =>
    runs.promptRun(api, s.runId, form({ body: "Carry on" })),
  ),
  "run view: answer buttons": dashboard((api, _, s: RunScene) =>
    runs.answerQuestion(api, s.runId, s.questionId, form({ selected: "yes" })),
  ),
  "run view: Stop": dashboard((api, _, s: RunScene) => runs.stopRun(api, s.runId, form({}))),
  "POST /api/runs/{id}/activities {thought}": rest("POST", onRun("/activities"), () => ({
    type: "thought",
    body: "Thinking it through",
  })),
  "POST /api/runs/{id}/activities {elicitation}": rest("POST", onRun("/activities"), () => ({
    type: "elicitation",
    body: "Which one?",
  })),
  "taskflow_post_activity {thought}": tool("taskflow_post_activity", (_, s: RunScene) => ({
    runId: s.runId,
    type: "thought",
    body: "Thinking it through",
  })),
  taskflow_ask_and_wait: tool("taskflow_ask_and_wait", (_, s: RunScene) => ({
    runId: s.runId,
    question: "Which one?",
    waitSeconds: 0,
  })),
  "GET /api/notifications": (w, caller) => w.api.call("GET", "/api/notifications", { token: caller.rest }),
  "GET /api/notifications/unread-count": (w, caller) =>
    w.api.call("GET", "/api/notifications/unread-count", { token: caller.rest }),
  "GET /api/notifications/events": inboxStream,
  "Needs you: the inbox page": dashboard((api) => loadInbox(api, {})),
  "header: the unread badge": dashboard((api) => loadUnreadCount(api)),
};

/** A task in progress held by `agentId`, its run awaiting the answer to a yes/no question (seq 1, the agent's). */
async function runScene(w: World, agentId: string): Promise<RunScene> {
  const now = Date.now();
  const taskId = await insertTask(w, {
    status: "in_progress",
    assigneeId: agentId,
    claimedById: agentId,
    claimedAt: new Date(now),
    leaseExpiresAt: new Date(now + 600_000),
    leaseSeconds: 600,
  });
  const [run] = await w.api.db
    .insert(schema.agentRuns)
    .values({
      tenantId: w.tenantId,
      projectId: w.project.id,
      taskId,
      agentId,
      state: "awaiting_input",
      origin: "claim",
      lastSeq: 1,
    })
    .returning();
  if (!run) throw new Error("no run");
  const [question] = await w.api.db
    .insert(schema.runActivities)
    .values({
      tenantId: w.tenantId,
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
  if (!question) throw new Error("no question");
  return { taskId, runId: run.id, questionId: question.id, notificationId: "" };
}

/** What the caller added to the scene's run: a prompt, or anything else (the agent's report). */
const runOutcome = (kind: "prompt" | "report") => async (w: World, scene: RunScene, caller: Caller) => {
  const rows = await w.api.db
    .select()
    .from(schema.runActivities)
    .where(eq(schema.runActivities.runId, scene.runId));
  // The scene's own question (seq 1) is the run's agent's; only what the case added counts.
  const mine = rows.filter(
    (row) =>
      row.seq > 1 && row.authorId === caller.workerId && (row.type === "prompt") === (kind === "prompt"),
  );
  return mine.length > 0 ? "happened" : "refused";
};

/**
 * A notification for the caller in the project, their only unread one. Several callers may be one person
 * (their tokens): each case runs its callers at once, so the one unread is looked for by id where listed.
 */
async function notificationScene(w: World, caller: Caller): Promise<RunScene> {
  const taskId = await insertTask(w);
  await w.api.db
    .update(schema.notifications)
    .set({ readAt: new Date() })
    .where(eq(schema.notifications.recipientId, caller.workerId));
  const [row] = await w.api.db
    .insert(schema.notifications)
    .values({
      tenantId: caller.tenantId,
      recipientId: caller.workerId,
      projectId: w.project.id,
      taskId,
      kind: "mention",
      title: `n-${randomUUID()}`,
    })
    .returning();
  if (!row) throw new Error("no notification");
  return { taskId, runId: "", questionId: "", notificationId: row.id };
}

/**
 * Whether the answer shows the scene's notification: listed (REST or the inbox page), or counted as unread
 * (the count, the badge, the live inbox's first event).
 */
function receivedOutcome(_: World, scene: RunScene, _caller: Caller, answer: unknown): string {
  const { status, body } = (answer ?? {}) as { status?: number; body?: unknown };
  const page = answer as { ok?: boolean; data?: unknown };
  const payload = page?.ok === true ? page.data : status === 200 ? body : undefined;
  const items = (payload as { items?: { id: string }[] } | undefined)?.items;
  if (items) return items.some((n) => n.id === scene.notificationId) ? "happened" : "refused";
  const unread = (payload as { unread?: number } | undefined)?.unread;
  return typeof unread === "number" && unread >= 1 ? "happened" : "refused";
}

const promptVariant: Variant<RunScene> = {
  label: "an agent's run awaiting an answer, on a task it holds",
  scene: (w) => runScene(w, w.targetId),
  outcome: runOutcome("prompt"),
  // Prompts are people's: an agent speaks on its own run through its reports.
  allows: (caller) => caller.kind === "person",
};

const reportVariants: Variant<RunScene>[] = [
  {
    label: "the caller's own run (an agent's; a person is shown another agent's)",
    scene: (w, caller) => runScene(w, caller.kind === "agent" ? caller.workerId : w.targetId),
    outcome: runOutcome("report"),
    allows: (caller) => caller.kind === "agent",
  },
  {
    label: "another agent's run",
    scene: (w) => runScene(w, w.targetId),
    outcome: runOutcome("report"),
    allows: () => false,
  },
];

const notificationVariant: Variant<RunScene> = {
  label: "a notification of theirs in the project",
  scene: notificationScene,
  outcome: receivedOutcome,
  // People have inboxes; agents learn of work through their runs.
  allows: (caller) => caller.kind === "person",
};

const runEffects = ["prompt", "report", "receive a notification"] as const satisfies readonly EffectName[];

export const runsGroup: Group<RunScene> = {
  effects: runEffects,
  drivers: driversFor(drivers, runEffects),
  variants: (effect) =>
    effect.name === "prompt"
      ? [promptVariant]
      : effect.name === "report"
        ? reportVariants
        : [notificationVariant],
};

export const runsDrivers = drivers;
