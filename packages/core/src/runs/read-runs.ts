import type { ActivityPage, AgentRun, RunActivity, RunState } from "@taskflow/contracts";
import { and, asc, desc, eq, exists, gt, inArray } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { loadAgent } from "../agents/load-agent.ts";
import { assertTokenScopeAllows } from "../authorization/token-scopes.ts";
import type { TaskflowDb, TaskflowExecutor } from "../db/database.ts";
import { projectMembers } from "../db/schema/projects.ts";
import { type ActivityType, agentRuns, runActivities } from "../db/schema/runs.ts";
import { notFound } from "../errors.ts";
import { authorizeTask } from "../tasks/authorize-task.ts";
import { authorizeRun } from "./authorize-run.ts";
import { type ActivityRow, loadRun, selectRuns, toActivity, toRun } from "./select-runs.ts";

// Reading runs is reading their project (`project.read`: a viewer, a token's taskflow:read, a key's read),
// decided by authorizeRun / authorizeTask, as every read of a task is.

/** One run. */
export async function getRun(db: TaskflowDb, actor: Actor, runId: string): Promise<AgentRun> {
  await authorizeRun(db, actor, runId, "project.read");
  return loadRun(db, actor.tenantId, runId);
}

/** Activities as the API shows them, with the prompt that answered each question among them. */
export async function toActivities(db: TaskflowExecutor, rows: ActivityRow[]): Promise<RunActivity[]> {
  const questions = rows.filter((row) => row.type === "elicitation").map((row) => row.id);
  const answers =
    questions.length === 0
      ? []
      : await db
          .select({ id: runActivities.id, answersId: runActivities.answersId })
          .from(runActivities)
          .where(inArray(runActivities.answersId, questions));
  const answeredBy = new Map(answers.map((answer) => [answer.answersId, answer.id]));
  return rows.map((row) => toActivity(row, answeredBy.get(row.id) ?? null));
}

/** A run's activities in order, after a sequence number, a page at a time (optionally of one type). */
export async function listActivities(
  db: TaskflowDb,
  actor: Actor,
  runId: string,
  query: { after: number; limit: number; type?: ActivityType | undefined },
): Promise<ActivityPage> {
  await authorizeRun(db, actor, runId, "project.read");
  const rows = await db
    .select()
    .from(runActivities)
    .where(
      and(
        eq(runActivities.runId, runId),
        gt(runActivities.seq, query.after),
        query.type ? eq(runActivities.type, query.type) : undefined,
      ),
    )
    .orderBy(asc(runActivities.seq))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  return {
    run: await loadRun(db, actor.tenantId, runId),
    items: await toActivities(db, page),
    nextAfter: rows.length > query.limit ? (page.at(-1)?.seq ?? null) : null,
  };
}

/** One activity of a run. */
export async function getActivity(
  db: TaskflowDb,
  actor: Actor,
  runId: string,
  activityId: string,
): Promise<RunActivity> {
  await authorizeRun(db, actor, runId, "project.read");
  const [row] = await db
    .select()
    .from(runActivities)
    .where(and(eq(runActivities.runId, runId), eq(runActivities.id, activityId)));
  if (!row) throw notFound("activity");
  const [activity] = await toActivities(db, [row]);
  if (!activity) throw notFound("activity");
  return activity;
}

/** The runs on a task, newest first. */
export async function listTaskRuns(
  db: TaskflowDb,
  actor: Actor,
  taskId: string,
  query: { state?: RunState | undefined; limit: number },
): Promise<AgentRun[]> {
  await authorizeTask(db, actor, taskId, "project.read");
  const rows = await selectRuns(db)
    .where(and(eq(agentRuns.taskId, taskId), query.state ? eq(agentRuns.state, query.state) : undefined))
    .orderBy(desc(agentRuns.createdAt), desc(agentRuns.id))
    .limit(query.limit);
  return rows.map(toRun);
}

/**
 * An agent's runs, newest first, in the projects the caller may read: those they are a member of, every project
 * of the tenant for its owners and admins, and for an agent key only those it is scoped to (nothing without read).
 */
export async function listAgentRuns(
  db: TaskflowDb,
  actor: Actor,
  agentId: string,
  query: { state?: RunState | undefined; limit: number },
): Promise<AgentRun[]> {
  assertTokenScopeAllows(actor, "project.read");
  await loadAgent(db, actor, agentId);
  const scope = actor.keyScope;
  if (scope && !scope.actions.includes("read")) return [];
  const seesAll = actor.orgRole === "owner" || actor.orgRole === "admin";
  const rows = await selectRuns(db)
    .where(
      and(
        eq(agentRuns.tenantId, actor.tenantId),
        eq(agentRuns.agentId, agentId),
        query.state ? eq(agentRuns.state, query.state) : undefined,
        scope?.projectIds ? inArray(agentRuns.projectId, scope.projectIds) : undefined,
        seesAll
          ? undefined
          : exists(
              db
                .select({ one: projectMembers.projectId })
                .from(projectMembers)
                .where(
                  and(
                    eq(projectMembers.projectId, agentRuns.projectId),
                    eq(projectMembers.workerId, actor.workerId),
                  ),
                ),
            ),
      ),
    )
    .orderBy(desc(agentRuns.createdAt), desc(agentRuns.id))
    .limit(query.limit);
  return rows.map(toRun);
}
