import { blockedBySql, dependsOnSql } from "./task-statements.ts";

/**
 * A timestamp as `Date#toISOString` writes it and isoTimestamp makes it: UTC, milliseconds truncated (to_char's
 * `MS` truncates too), `Z`.
 */
const iso = (column: string) =>
  `to_char("tasks"."${column}" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const worker = (alias: string) =>
  `json_build_object('id', "${alias}"."id", 'kind', "${alias}"."kind", 'handle', "${alias}"."handle",
    'name', "${alias}"."name")`;

/**
 * The task as the API answers it (taskFromValues), written by PostgreSQL as JSON text, over taskFromClause's
 * sources. A page of tasks then leaves the API as PostgreSQL wrote it: no row parsed into values, no object
 * built, no JSON.stringify (issue 14: with the garbage they make, those were most of the API's CPU per list).
 * It must say exactly what taskFromValues says: apps/api/test/task-list-json.integration.test.ts compares the two over every shape of
 * task (assignee, recurrence, claim, stop, dependencies, due date, odd characters). Cast to text, so that pg
 * hands the text over instead of parsing it.
 */
export const taskJsonSql = `json_build_object(
  'id', "tasks"."id", 'projectId', "tasks"."project_id", 'parentId', "tasks"."parent_id",
  'title', "tasks"."title", 'description', "tasks"."description", 'status', "tasks"."status",
  'priority', "tasks"."priority", 'progress', "tasks"."progress", 'tags', "tasks"."tags",
  'dueAt', ${iso("due_at")},
  'assignee', case when "assignee"."id" is null then null else ${worker("assignee")} end,
  'creator', ${worker("creator")},
  'startedAt', ${iso("started_at")}, 'completedAt', ${iso("completed_at")},
  'recurrence', case when "tasks"."recurrence_pattern" is not null and "tasks"."series_id" is not null
    then json_build_object('pattern', "tasks"."recurrence_pattern", 'max', "tasks"."recurrence_max",
      'occurrence', "tasks"."occurrence", 'seriesId', "tasks"."series_id") end,
  'requiredCapabilities', "tasks"."required_capabilities",
  'claim', case when "tasks"."claimed_by_id" is not null and "tasks"."claimed_at" is not null
      and "tasks"."lease_expires_at" is not null
    then json_build_object('holderId', "tasks"."claimed_by_id", 'claimedAt', ${iso("claimed_at")},
      'leaseExpiresAt', ${iso("lease_expires_at")}) end,
  'stop', case when "tasks"."stop_requested_at" is not null
    then json_build_object('requestedById', "tasks"."stop_requested_by_id", 'requestedAt', ${iso("stop_requested_at")},
      'reason', "tasks"."stop_reason", 'acknowledgedAt', ${iso("stop_acknowledged_at")}) end,
  'delegatedById', "tasks"."delegated_by_id",
  'dependsOn', ${dependsOnSql},
  'blockedBy', ${blockedBySql},
  'version', "tasks"."version", 'createdAt', ${iso("created_at")}, 'updatedAt', ${iso("updated_at")}
)::text`;
