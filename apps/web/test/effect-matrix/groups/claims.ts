// Claiming: each path driven as its real client drives it (REST over HTTP, the MCP SDK client; the
// dashboard has no claim), and the database says afterwards whether the caller took a task of the
// project. Claim-next looks across projects, so what it may take is decided per project as one task's
// claim is (red-team finding 5: a read-only token claimed through claim-next).
import { randomUUID } from "node:crypto";
import { type EffectName, schema } from "@taskflow/core";
import { and, eq, gte } from "drizzle-orm";
import { type Driver, driversFor, type Group, type Variant } from "../support/matrix.ts";
import type { World } from "../support/world.ts";
import { insertTask, tool } from "./workflow.ts";

export interface ClaimScene {
  /** A pending, unassigned task of the project, made for this caller. */
  taskId: string;
  /** When the scene was made: a claim since then is this case's. */
  since: Date;
}

const claim =
  (
    body: (w: World, s: ClaimScene) => Record<string, unknown>,
    path = "/api/tasks/claim-next",
  ): Driver<ClaimScene> =>
  (w, caller, scene) =>
    w.api.call("POST", path, { token: caller.rest, body: body(w, scene) });

const drivers: Record<string, Driver<ClaimScene>> = {
  "POST /api/tasks/{id}/claim": (w, caller, s) =>
    w.api.call("POST", `/api/tasks/${s.taskId}/claim`, { token: caller.rest }),
  "POST /api/tasks/claim-next {projectId}": claim((w) => ({ projectId: w.project.id })),
  "POST /api/tasks/claim-next {}": claim(() => ({})),
  "taskflow_claim_task {taskId}": tool("taskflow_claim_task", (_, s: ClaimScene) => ({ taskId: s.taskId })),
  "taskflow_claim_task {projectId}": tool("taskflow_claim_task", (w: World) => ({ projectId: w.project.id })),
  "taskflow_claim_task {}": tool("taskflow_claim_task", () => ({})),
};

/**
 * The task a claim's answer says was claimed: REST's 200 (a task, or `{task}` from claim-next), the tool's
 * `{task}` unless it is an error. Several callers may be one worker (one person's personal access tokens),
 * so what the credential's own answer says decides, checked against the database.
 */
function claimedTaskId(answer: unknown): string | null {
  if (!answer || typeof answer !== "object") return null;
  const a = answer as { status?: number; body?: unknown; isError?: boolean; data?: unknown };
  const shown = (a.status === undefined ? (a.isError ? null : a.data) : a.status === 200 ? a.body : null) as {
    id?: string;
    task?: { id: string } | null;
  } | null;
  return shown?.task?.id ?? shown?.id ?? null;
}

/**
 * A pending task for each caller. Callers of one case claim at once, so claim-next may hand a caller
 * another caller's task: what counts is that the answer names a task of the project the caller now holds,
 * claimed since.
 */
const pendingTask: Variant<ClaimScene> = {
  label: "a pending, unassigned task",
  scene: async (w) => {
    const since = new Date();
    return { taskId: await insertTask(w, { title: `claim-${randomUUID()}` }), since };
  },
  outcome: async (w, scene, caller, answer) => {
    const id = claimedTaskId(answer);
    if (!id) return "refused";
    const [task] = await w.api.db
      .select({ id: schema.tasks.id })
      .from(schema.tasks)
      .where(
        and(
          eq(schema.tasks.id, id),
          eq(schema.tasks.projectId, w.project.id),
          eq(schema.tasks.claimedById, caller.workerId),
          gte(schema.tasks.claimedAt, scene.since),
        ),
      );
    return task ? "happened" : "refused";
  },
  // A claim assigns the claimer, and only a project member can be assigned (assertAssignable): the
  // organization's owners and admins oversee every project but claim only in those they joined.
  allows: (caller, w) => w.membershipRole(caller.workerId, w.project.id) !== null,
};

const claimEffects = ["claim"] as const satisfies readonly EffectName[];

export const claimsGroup: Group<ClaimScene> = {
  effects: claimEffects,
  drivers: driversFor(drivers, claimEffects),
  variants: () => [pendingTask],
};

export const claimsDrivers = drivers;
