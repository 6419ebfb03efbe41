// The tasks list view's URL search params ⇄ the API's listing query. Pure functions: a bad or unknown value in
// the URL is dropped rather than sent to the API, so a hand-edited link still shows a page.
import { isInDateRange } from "@taskflow/contracts";
import { queryString } from "./api-client";
import { dayBoundary } from "./time-zone";

export const taskStatuses = ["pending", "in_progress", "review", "blocked", "completed"] as const;
export const taskPriorities = ["critical", "high", "medium", "low"] as const;
export const taskSorts = ["created", "updated", "priority", "due"] as const;
export type TaskSortKey = (typeof taskSorts)[number];

export interface TaskFilters {
  status: string[];
  priority: string[];
  /** A worker id, `me` or `none`. */
  assignee?: string;
  tag?: string;
  q?: string;
  /** `YYYY-MM-DD`: due before the start of that day (in the person's zone). */
  dueBefore?: string;
  /** `YYYY-MM-DD`: due after the end of that day (in the person's zone). */
  dueAfter?: string;
  sort: TaskSortKey;
  /** Subtasks too, or top-level tasks only (the default). */
  all: boolean;
  cursor?: string;
  limit: number;
}

type Params = Record<string, string | string[] | undefined>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.trim();
const list = (value: string | string[] | undefined, allowed: readonly string[]) =>
  [...new Set((Array.isArray(value) ? value : (value ?? "").split(",")).map((v) => v.trim()))].filter((v) =>
    allowed.includes(v),
  );
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const day = /^\d{4}-\d{2}-\d{2}$/;

export function parseTaskFilters(params: Params): TaskFilters {
  const assignee = first(params.assignee);
  const tag = first(params.tag);
  const q = first(params.q);
  const dueBefore = first(params.dueBefore);
  const dueAfter = first(params.dueAfter);
  const sort = first(params.sort);
  const cursor = first(params.cursor);
  const limit = Number(first(params.limit));
  return {
    status: list(params.status, taskStatuses),
    priority: list(params.priority, taskPriorities),
    ...(assignee && (assignee === "me" || assignee === "none" || uuid.test(assignee)) ? { assignee } : {}),
    ...(tag && tag.length <= 50 ? { tag } : {}),
    ...(q ? { q: q.slice(0, 200) } : {}),
    ...(dueBefore && day.test(dueBefore) && validDay(dueBefore) ? { dueBefore } : {}),
    ...(dueAfter && day.test(dueAfter) && validDay(dueAfter) ? { dueAfter } : {}),
    sort: taskSorts.find((s) => s === sort) ?? "created",
    all: first(params.all) === "1",
    ...(cursor && cursor.length <= 512 ? { cursor } : {}),
    limit: Number.isInteger(limit) && limit >= 1 && limit <= 100 ? limit : 25,
  };
}

/** A real day, in the years every date the API takes may have (contracts' isInDateRange). */
function validDay(value: string): boolean {
  return isInDateRange(new Date(`${value}T00:00:00Z`)) && isInDateRange(new Date(`${value}T23:59:59.999Z`));
}

/** The API query (`GET /api/projects/{id}/tasks…`) for these filters, days read in `zone` (sent as UTC). */
export function apiTaskQuery(filters: TaskFilters, zone = "UTC"): string {
  return queryString({
    status: filters.status.join(","),
    priority: filters.priority.join(","),
    assigneeId: filters.assignee,
    tag: filters.tag,
    q: filters.q,
    dueBefore: filters.dueBefore ? dayBoundary(filters.dueBefore, zone, "start") : undefined,
    dueAfter: filters.dueAfter ? lastInstantOf(filters.dueAfter, zone) : undefined,
    parentId: filters.all ? undefined : "none",
    sort: filters.sort,
    limit: filters.limit,
    cursor: filters.cursor,
  });
}

/** The last millisecond of a day in `zone`: "due after" it means from the next day on. */
function lastInstantOf(day: string, zone: string): string {
  return new Date(Date.parse(dayBoundary(day, zone, "end")) - 1).toISOString();
}

/** The list view's own URL for these filters with some changed; any change but the cursor starts at page one. */
export function filtersHref(base: string, filters: TaskFilters, change: Partial<TaskFilters> = {}): string {
  const next: TaskFilters = { ...filters, ...change };
  if (!("cursor" in change)) delete next.cursor;
  return (
    base +
    queryString({
      q: next.q,
      status: next.status.join(","),
      priority: next.priority.join(","),
      assignee: next.assignee,
      tag: next.tag,
      dueAfter: next.dueAfter,
      dueBefore: next.dueBefore,
      sort: next.sort === "created" ? undefined : next.sort,
      all: next.all ? "1" : undefined,
      limit: next.limit === 25 ? undefined : next.limit,
      cursor: next.cursor,
    })
  );
}

/** True when anything narrows the list (for the empty state's wording). */
export function isFiltered(filters: TaskFilters): boolean {
  return Boolean(
    filters.status.length ||
      filters.priority.length ||
      filters.assignee ||
      filters.tag ||
      filters.q ||
      filters.dueBefore ||
      filters.dueAfter,
  );
}
