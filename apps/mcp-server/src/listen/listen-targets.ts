import type { AuditEntry } from "@taskflow/contracts";
import {
  type Actor,
  authorizeProjectEvents,
  getRun,
  getTask,
  isRunEvent,
  type TaskflowDb,
} from "@taskflow/core";
import { z } from "zod";

/**
 * What a `subscriptions/listen` may ask for (`notifications.resourceSubscriptions`), each a resource URI:
 *
 * - `taskflow://tasks/{taskId}`: that task's changes (the task resource, resources/task-resource.ts);
 * - `taskflow://projects/{projectId}/tasks`: the changes of every task of the project;
 * - `taskflow://runs/{runId}`: a run's prompts and questions (people's messages, answers and stop signals,
 *   `run.prompt`; the agent's questions, `run.elicitation`).
 *
 * Each names one project, and receiving it is receiving that project's events: decided by core's
 * authorizeProjectEvents, as the REST streams are, after reading the task or run as its own REST route does.
 */
export interface ListenTarget {
  /** The URI as the client asked for it: notifications name it. */
  uri: string;
  projectId: string;
  /** Whether a change of the project is one this URI reports. */
  reports(entry: AuditEntry): boolean;
}

const uuid = z.uuid();
const shapes = [
  { pattern: /^taskflow:\/\/tasks\/([^/]+)$/, kind: "task" },
  { pattern: /^taskflow:\/\/projects\/([^/]+)\/tasks$/, kind: "project" },
  { pattern: /^taskflow:\/\/runs\/([^/]+)$/, kind: "run" },
] as const;

/** The run activities a run's listeners hear: what people say and what the agent asks them. */
const conversation = new Set(["run.prompt", "run.elicitation"]);

/** A task's own changes and its comments; its runs' activity is the run's. */
const isTaskChange = (entry: AuditEntry) => entry.taskId !== null && entry.entityType !== "run";

/**
 * The target a URI names, decided for the caller; null when it names nothing the caller may receive (an
 * unknown shape, a malformed id, or a refusal of core's: the caller is told it is not found, as
 * `resources/read` answers, so another tenant's ids say nothing). Other failures (an outage) are thrown.
 */
export async function resolveListenTarget(
  db: TaskflowDb,
  actor: Actor,
  uri: string,
): Promise<ListenTarget | null> {
  for (const { pattern, kind } of shapes) {
    const raw = pattern.exec(uri)?.[1];
    if (raw === undefined) continue;
    const parsed = uuid.safeParse(raw);
    if (!parsed.success) return null;
    const id = parsed.data.toLowerCase();
    if (kind === "task") {
      const task = await getTask(db, actor, id);
      await authorizeProjectEvents(db, actor, task.projectId);
      return {
        uri,
        projectId: task.projectId,
        reports: (entry) => isTaskChange(entry) && entry.taskId === id,
      };
    }
    if (kind === "project") {
      await authorizeProjectEvents(db, actor, id);
      return { uri, projectId: id, reports: isTaskChange };
    }
    // Reading the run decides as reading its project (GET /api/runs/{id}/events does the same).
    const run = await getRun(db, actor, id);
    await authorizeProjectEvents(db, actor, run.projectId);
    const ofRun = isRunEvent(run.id);
    return {
      uri,
      projectId: run.projectId,
      reports: (entry) => ofRun(entry) && conversation.has(entry.action),
    };
  }
  return null;
}
