import type { Task } from "@taskflow/contracts";
import { tasks } from "../db/schema/tasks.ts";
import { isoTimestamp, tableColumns } from "../db/statements.ts";

/**
 * A task as every task read returns it, written once as SQL (db/statements.ts says why): its columns,
 * its assignee and creator, the tasks it depends on and those of them not completed yet.
 */
export const taskColumns = tableColumns(tasks, "tasks");

export const taskSelectList = `${taskColumns.list},
  "assignee"."id", "assignee"."kind", "assignee"."handle", "assignee"."name",
  "creator"."id", "creator"."kind", "creator"."handle", "creator"."name",
  case when "dependencies"."any" then coalesce((select array_agg(d.depends_on_id::text order by d.created_at)
    from task_dependencies d where d.task_id = "tasks"."id"), '{}'::text[]) else '{}'::text[] end,
  case when "dependencies"."any" then coalesce((select array_agg(d.depends_on_id::text order by d.created_at)
    from task_dependencies d join tasks dt on dt.id = d.depends_on_id
    where d.task_id = "tasks"."id" and dt.status <> 'completed'), '{}'::text[]) else '{}'::text[] end`;

/**
 * Most tasks depend on nothing: one probe of the dependency index says so, and the two ordered aggregates
 * above (each a sort PostgreSQL sets up per row, even over no rows) run only for a task that has some.
 * Without the probe they were a third of PostgreSQL's CPU for a page of 50 (the API bench's list:
 * 0.98 ms of the backend's CPU per page with them, 0.74 with the probe, 0.73 with no dependencies at all).
 */
export const taskFromClause = taskFromClauseOf(`"tasks"`);

/**
 * taskFromClause over another source of task rows named "tasks": the CTE of a statement that has just
 * written them (its `returning "tasks".*`), so the statement answers the task as every task read does.
 */
export function taskFromClauseOf(source: string): string {
  return `from ${source === `"tasks"` ? source : `${source} "tasks"`}
  inner join "workers" "creator" on "creator"."id" = "tasks"."creator_id"
  left join "workers" "assignee" on "assignee"."id" = "tasks"."assignee_id"
  cross join lateral (select exists (select from task_dependencies d where d.task_id = "tasks"."id") as "any")
    as "dependencies"`;
}

/** How many values taskSelectList selects: what a statement adds after it starts here. */
export const taskSelectWidth = taskColumns.width + 10;

const at = taskColumns.index;
const w = taskColumns.width;
const text = (value: unknown) => value as string;
const nullableText = (value: unknown) => (value === null ? null : (value as string));
const time = (value: unknown) => (value === null ? null : isoTimestamp(value as string));
const count = (value: unknown) => (typeof value === "number" ? value : Number(value));

/** The task as the API answers it, from the values of taskSelectList. */
export function taskFromValues(v: unknown[]): Task {
  const claimedById = v[at.claimedById];
  const claimedAt = v[at.claimedAt];
  const leaseExpiresAt = v[at.leaseExpiresAt];
  const stopRequestedAt = v[at.stopRequestedAt];
  const recurrencePattern = v[at.recurrencePattern];
  const seriesId = v[at.seriesId];
  return {
    id: text(v[at.id]),
    projectId: text(v[at.projectId]),
    parentId: nullableText(v[at.parentId]),
    title: text(v[at.title]),
    description: text(v[at.description]),
    status: v[at.status] as Task["status"],
    priority: v[at.priority] as Task["priority"],
    progress: count(v[at.progress]),
    tags: v[at.tags] as string[],
    dueAt: time(v[at.dueAt]),
    assignee:
      v[w] === null
        ? null
        : {
            id: text(v[w]),
            kind: v[w + 1] as Task["creator"]["kind"],
            handle: text(v[w + 2]),
            name: text(v[w + 3]),
          },
    creator: {
      id: text(v[w + 4]),
      kind: v[w + 5] as Task["creator"]["kind"],
      handle: text(v[w + 6]),
      name: text(v[w + 7]),
    },
    startedAt: time(v[at.startedAt]),
    completedAt: time(v[at.completedAt]),
    recurrence:
      recurrencePattern !== null && seriesId !== null
        ? {
            pattern: recurrencePattern as NonNullable<Task["recurrence"]>["pattern"],
            max: v[at.recurrenceMax] === null ? null : count(v[at.recurrenceMax]),
            occurrence: count(v[at.occurrence]),
            seriesId: text(seriesId),
          }
        : null,
    requiredCapabilities: v[at.requiredCapabilities] as string[],
    claim:
      claimedById !== null && claimedAt !== null && leaseExpiresAt !== null
        ? {
            holderId: text(claimedById),
            claimedAt: isoTimestamp(text(claimedAt)),
            leaseExpiresAt: isoTimestamp(text(leaseExpiresAt)),
          }
        : null,
    stop:
      stopRequestedAt !== null
        ? {
            requestedById: nullableText(v[at.stopRequestedById]),
            requestedAt: isoTimestamp(text(stopRequestedAt)),
            reason: nullableText(v[at.stopReason]),
            acknowledgedAt: time(v[at.stopAcknowledgedAt]),
          }
        : null,
    delegatedById: nullableText(v[at.delegatedById]),
    dependsOn: v[w + 8] as string[],
    blockedBy: v[w + 9] as string[],
    version: count(v[at.version]),
    createdAt: isoTimestamp(text(v[at.createdAt])),
    updatedAt: isoTimestamp(text(v[at.updatedAt])),
  };
}
