import type { TaskListQuery, TaskPage } from "@taskflow/contracts";
import type { Actor } from "../actor.ts";
import { authorizeProject, decideProjectAccess } from "../authorization/project-access.ts";
import { assertTokenScopeAllows } from "../authorization/token-scopes.ts";
import type { TaskflowDb } from "../db/database.ts";
import type { ProjectRole } from "../db/schema/projects.ts";
import { runStatement } from "../db/statements.ts";
import { invalidInput, notFound } from "../errors.ts";
import { type CursorValue, decodeCursor, encodeCursor } from "../pagination/keyset-cursor.ts";
import { isStorableDueDate, parseDateInput } from "./due-date.ts";
import { taskFromClause, taskFromValues, taskSelectList, taskSelectWidth } from "./task-statements.ts";

/**
 * Each sort is a keyset over a unique key ending in the id, so the order is total and stable and
 * a page starts strictly after the previous page's last row: rows inserted meanwhile never make a
 * page skip or repeat one. Timestamps travel as PostgreSQL text, keeping their microseconds.
 */
/**
 * What each value of a sort key is: a cursor's values go into the statement as such, so a forged cursor
 * whose values are not (a date PostgreSQL cannot read, an id that is no uuid) is refused up front.
 */
const isKeyTimestamp = (v: CursorValue): boolean =>
  typeof v === "string" &&
  /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/.test(v) &&
  isStorableDueDate(new Date(v.replace(" ", "T").replace(/([+-]\d{2})$/, "$1:00")));
const keyValueIs = {
  // PostgreSQL's text of a timestamptz, as the key reads it, in the years a date may have.
  timestamp: isKeyTimestamp,
  optionalTimestamp: (v: CursorValue) => v === null || isKeyTimestamp(v),
  uuid: (v: CursorValue) => typeof v === "string" && uuidPattern.test(v),
  rank: (v: CursorValue) => typeof v === "string" && /^[1-4]$/.test(v),
} satisfies Record<string, (v: CursorValue) => boolean>;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The statement is written as text (db/statements.ts says why), from parts fixed per sort and filter, so
 * each combination of filters is one statement text. Lists of statuses and priorities stay `in (…)`
 * lists of parameters: an `= any(array)` on the second column of the status index would keep
 * PostgreSQL 15 from reading the index in order and stopping at the page.
 */
const orderings = {
  created: {
    kinds: ["timestamp", "uuid"],
    key: `"tasks"."created_at"::text, "tasks"."id"::text`,
    orderBy: `"tasks"."created_at" desc, "tasks"."id" desc`,
    after: ([at, id]: string[]) => `("tasks"."created_at", "tasks"."id") < (${at}::timestamptz, ${id}::uuid)`,
  },
  updated: {
    kinds: ["timestamp", "uuid"],
    key: `"tasks"."updated_at"::text, "tasks"."id"::text`,
    orderBy: `"tasks"."updated_at" desc, "tasks"."id" desc`,
    after: ([at, id]: string[]) => `("tasks"."updated_at", "tasks"."id") < (${at}::timestamptz, ${id}::uuid)`,
  },
  priority: {
    kinds: ["rank", "timestamp", "uuid"],
    key: `"tasks"."priority_rank"::text, "tasks"."created_at"::text, "tasks"."id"::text`,
    orderBy: `"tasks"."priority_rank" desc, "tasks"."created_at" desc, "tasks"."id" desc`,
    after: ([rank, at, id]: string[]) =>
      `("tasks"."priority_rank", "tasks"."created_at", "tasks"."id") < (${rank}::smallint, ${at}::timestamptz, ${id}::uuid)`,
  },
  /** Soonest due first, tasks without a due date last. */
  due: {
    kinds: ["optionalTimestamp", "uuid"],
    key: `"tasks"."due_at"::text, "tasks"."id"::text`,
    orderBy: `"tasks"."due_at" asc nulls last, "tasks"."id" asc`,
    after: ([due, id]: string[], dueIsNull?: boolean) =>
      dueIsNull
        ? `("tasks"."due_at" is null and "tasks"."id" > ${id}::uuid)`
        : `("tasks"."due_at" > ${due}::timestamptz or ("tasks"."due_at" = ${due}::timestamptz and "tasks"."id" > ${id}::uuid) or "tasks"."due_at" is null)`,
  },
} satisfies Record<
  TaskListQuery["sort"],
  {
    kinds: (keyof typeof keyValueIs)[];
    key: string;
    orderBy: string;
    /** The condition "after this key", given the key's values as placeholders. */
    after: (placeholders: string[], firstIsNull?: boolean) => string;
  }
>;

/**
 * A project's tasks, filtered, sorted and a page at a time: the caller's access and the page in one
 * statement (one round trip, one statement for PostgreSQL to run, where authorizing first cost a second
 * of each). The decision is still decideProjectAccess's, on the membership the statement read; a page
 * with no row cannot say whether the project exists, so an empty page asks authorizeProject.
 */
export async function listTasks(
  db: TaskflowDb,
  actor: Actor,
  projectId: string,
  query: TaskListQuery,
): Promise<TaskPage> {
  // A refusal that reads only the token comes before any lookup, as in authorizeProject.
  assertTokenScopeAllows(actor, "project.read");
  let statement: { text: string; params: unknown[] };
  try {
    statement = taskListStatement(actor, projectId, query);
  } catch (error) {
    // Bad filters or cursor: a caller who may not see the project still learns only that (404 first).
    await authorizeProject(db, actor, projectId, "project.read");
    throw error;
  }
  const rows = await runStatement(db, statement.text, statement.params, (values) => ({
    task: taskFromValues(values),
    sortKey: values[taskSelectWidth],
    membership: values[taskSelectWidth + 1] as string | null,
  }));
  const first = rows[0];
  if (!first) {
    await authorizeProject(db, actor, projectId, "project.read");
    return { items: [], nextCursor: null };
  }
  // Rows come only from a project of the caller's tenant (the statement's access gate); null is none.
  if (first.membership === null) throw notFound("project");
  decideProjectAccess(
    actor,
    projectId,
    first.membership === "" ? null : (first.membership as ProjectRole),
    "project.read",
  );
  const last = rows.length > query.limit ? rows[query.limit - 1] : undefined;
  const items: TaskPage["items"] = [];
  for (let i = 0; i < rows.length && i < query.limit; i++)
    items.push((rows[i] as (typeof rows)[number]).task);
  return {
    items,
    nextCursor: last ? encodeCursor(`tasks.${query.sort}`, parseKey(last.sortKey)) : null,
  };
}

/**
 * The caller's membership role in the project (`''` when none; no row when the project is not one of the
 * caller's tenant), read once per statement: its select list shows it on every row, and its where clause
 * lets no row through when the project is not the tenant's (a one-time check before the tasks are read).
 */
const accessCte = (project: string, tenant: string, worker: string) => `with "access" as (
    select coalesce("project_members"."role"::text, '') as "role" from "projects"
    left join "project_members"
      on "project_members"."project_id" = "projects"."id" and "project_members"."worker_id" = ${worker}
    where "projects"."id" = ${project} and "projects"."tenant_id" = ${tenant})`;

/**
 * The statement of one page of a listing: its text, fixed per sort and combination of filters, and its
 * values. Each row carries the task, its sort key and the caller's membership (accessCte); the decision
 * on it is the caller's (listTasks). Apart so a test can ask PostgreSQL how it plans the very statement
 * the API sends.
 */
export function taskListStatement(
  actor: Actor,
  projectId: string,
  query: TaskListQuery,
): { text: string; params: unknown[] } {
  const ordering = orderings[query.sort];
  const after = query.cursor
    ? decodeCursor(query.cursor, `tasks.${query.sort}`, ordering.kinds.length)
    : null;
  if (after && !ordering.kinds.every((kind, i) => keyValueIs[kind](after[i] ?? null))) {
    throw invalidInput("query.cursor", "not a cursor this API handed out");
  }
  const params: unknown[] = [projectId, query.limit + 1];
  const value = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where = [
    `(select "role" from "access") is not null`,
    `"tasks"."project_id" = $1`,
    ...filters(actor, query, value),
  ];
  if (after) {
    // A null due date is no value to compare with: "after it" is its own condition.
    const firstIsNull = after[0] === null;
    where.push(
      ordering.after(
        after.map((v) => (v === null ? "null" : value(v))),
        firstIsNull,
      ),
    );
  }
  const access = accessCte("$1", value(actor.tenantId), value(actor.workerId));
  return {
    text: `${access}
     select ${taskSelectList}, json_build_array(${ordering.key}), (select "role" from "access") ${taskFromClause}
     where ${where.join(" and ")} order by ${ordering.orderBy} limit $2`,
    params,
  };
}

function filters(actor: Actor, query: TaskListQuery, value: (v: unknown) => string): string[] {
  const where: string[] = [];
  if (query.status) where.push(`"tasks"."status" in (${query.status.map(value).join(", ")})`);
  if (query.priority) where.push(`"tasks"."priority" in (${query.priority.map(value).join(", ")})`);
  if (query.assigneeId === "none") where.push(`"tasks"."assignee_id" is null`);
  else if (query.assigneeId) {
    where.push(
      `"tasks"."assignee_id" = ${value(query.assigneeId === "me" ? actor.workerId : query.assigneeId)}`,
    );
  }
  if (query.tag) where.push(`"tasks"."tags" @> ${value([query.tag])}::text[]`);
  if (query.parentId === "none") where.push(`"tasks"."parent_id" is null`);
  else if (query.parentId) where.push(`"tasks"."parent_id" = ${value(query.parentId)}`);
  if (query.dueBefore) {
    where.push(
      `"tasks"."due_at" < ${value(parseDateInput(query.dueBefore, "query.dueBefore").toISOString())}`,
    );
  }
  if (query.dueAfter) {
    where.push(`"tasks"."due_at" > ${value(parseDateInput(query.dueAfter, "query.dueAfter").toISOString())}`);
  }
  if (query.q) {
    const pattern = value(`%${escapeLike(query.q)}%`);
    where.push(`("tasks"."title" ilike ${pattern} or "tasks"."description" ilike ${pattern})`);
  }
  return where;
}

/** `%`, `_` and `\` in a search are literal characters, not wildcards. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** json_build_array comes back parsed (pg) or as text (some drivers); both become the key. */
function parseKey(key: unknown): CursorValue[] {
  return (typeof key === "string" ? JSON.parse(key) : key) as CursorValue[];
}
