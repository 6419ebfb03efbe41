import type { TaskListQuery, TaskPage } from "@taskflow/contracts";
import {
  and,
  arrayContains,
  asc,
  desc,
  eq,
  gt,
  ilike,
  inArray,
  isNull,
  lt,
  or,
  type SQL,
  sql,
} from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { authorizeProject } from "../authorization/project-access.ts";
import type { TaskflowDb } from "../db/database.ts";
import { tasks } from "../db/schema/tasks.ts";
import { invalidInput } from "../errors.ts";
import { type CursorValue, decodeCursor, encodeCursor } from "../pagination/keyset-cursor.ts";
import { isStorableDueDate, parseDateInput } from "./due-date.ts";
import { selectTasks, toTask } from "./select-tasks.ts";

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

const orderings = {
  created: {
    kinds: ["timestamp", "uuid"],
    key: [sql`${tasks.createdAt}::text`, sql`${tasks.id}::text`],
    orderBy: [desc(tasks.createdAt), desc(tasks.id)],
    after: ([at, id]: CursorValue[]) =>
      sql`(${tasks.createdAt}, ${tasks.id}) < (${at}::timestamptz, ${id}::uuid)`,
  },
  updated: {
    kinds: ["timestamp", "uuid"],
    key: [sql`${tasks.updatedAt}::text`, sql`${tasks.id}::text`],
    orderBy: [desc(tasks.updatedAt), desc(tasks.id)],
    after: ([at, id]: CursorValue[]) =>
      sql`(${tasks.updatedAt}, ${tasks.id}) < (${at}::timestamptz, ${id}::uuid)`,
  },
  priority: {
    kinds: ["rank", "timestamp", "uuid"],
    key: [sql`${tasks.priorityRank}::text`, sql`${tasks.createdAt}::text`, sql`${tasks.id}::text`],
    orderBy: [desc(tasks.priorityRank), desc(tasks.createdAt), desc(tasks.id)],
    after: ([rank, at, id]: CursorValue[]) =>
      sql`(${tasks.priorityRank}, ${tasks.createdAt}, ${tasks.id}) < (${rank}::smallint, ${at}::timestamptz, ${id}::uuid)`,
  },
  /** Soonest due first, tasks without a due date last. */
  due: {
    kinds: ["optionalTimestamp", "uuid"],
    key: [sql`${tasks.dueAt}::text`, sql`${tasks.id}::text`],
    orderBy: [sql`${tasks.dueAt} asc nulls last`, asc(tasks.id)],
    after: ([due, id]: CursorValue[]) =>
      due === null
        ? sql`(${tasks.dueAt} is null and ${tasks.id} > ${id}::uuid)`
        : sql`(${tasks.dueAt} > ${due}::timestamptz or (${tasks.dueAt} = ${due}::timestamptz and ${tasks.id} > ${id}::uuid) or ${tasks.dueAt} is null)`,
  },
} satisfies Record<
  TaskListQuery["sort"],
  {
    kinds: (keyof typeof keyValueIs)[];
    key: SQL[];
    orderBy: SQL[];
    after: (key: CursorValue[]) => SQL;
  }
>;

/** A project's tasks, filtered, sorted and a page at a time. */
export async function listTasks(
  db: TaskflowDb,
  actor: Actor,
  projectId: string,
  query: TaskListQuery,
): Promise<TaskPage> {
  await authorizeProject(db, actor, projectId, "project.read");
  const ordering = orderings[query.sort];
  const cursorName = `tasks.${query.sort}`;
  const after = query.cursor ? decodeCursor(query.cursor, cursorName, ordering.key.length) : null;
  if (after && !ordering.kinds.every((kind, i) => keyValueIs[kind](after[i] ?? null))) {
    throw invalidInput("query.cursor", "not a cursor this API handed out");
  }
  const rows = await selectTasks(db, {
    sortKey: sql<CursorValue[]>`json_build_array(${sql.join(ordering.key, sql`, `)})`.as("sort_key"),
  })
    .where(
      and(
        eq(tasks.projectId, projectId),
        ...filters(actor, query),
        after ? ordering.after(after) : undefined,
      ),
    )
    .orderBy(...ordering.orderBy)
    .limit(query.limit + 1);
  const last = rows.length > query.limit ? rows[query.limit - 1] : undefined;
  return {
    items: rows.slice(0, query.limit).map(toTask),
    nextCursor: last ? encodeCursor(cursorName, parseKey(last.sortKey)) : null,
  };
}

function filters(actor: Actor, query: TaskListQuery): (SQL | undefined)[] {
  return [
    query.status ? inArray(tasks.status, query.status) : undefined,
    query.priority ? inArray(tasks.priority, query.priority) : undefined,
    query.assigneeId === "none"
      ? isNull(tasks.assigneeId)
      : query.assigneeId
        ? eq(tasks.assigneeId, query.assigneeId === "me" ? actor.workerId : query.assigneeId)
        : undefined,
    query.tag ? arrayContains(tasks.tags, [query.tag]) : undefined,
    query.parentId === "none"
      ? isNull(tasks.parentId)
      : query.parentId
        ? eq(tasks.parentId, query.parentId)
        : undefined,
    query.dueBefore ? lt(tasks.dueAt, parseDateInput(query.dueBefore, "query.dueBefore")) : undefined,
    query.dueAfter ? gt(tasks.dueAt, parseDateInput(query.dueAfter, "query.dueAfter")) : undefined,
    query.q
      ? or(
          ilike(tasks.title, `%${escapeLike(query.q)}%`),
          ilike(tasks.description, `%${escapeLike(query.q)}%`),
        )
      : undefined,
  ];
}

/** `%`, `_` and `\` in a search are literal characters, not wildcards. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** json_build_array comes back parsed (pg) or as text (some drivers); both become the key. */
function parseKey(key: unknown): CursorValue[] {
  return (typeof key === "string" ? JSON.parse(key) : key) as CursorValue[];
}
