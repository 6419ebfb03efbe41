import type { CommentListQuery, CommentPage } from "@taskflow/contracts";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import type { TaskflowDb } from "../db/database.ts";
import { comments } from "../db/schema/tasks.ts";
import { decodeCursor, encodeCursor } from "../pagination/keyset-cursor.ts";
import { authorizeTask } from "../tasks/authorize-task.ts";
import { selectComments, toComment } from "./select-comments.ts";

const ordering = "comments.created";

/** A task's comments, oldest first, a page at a time. */
export async function listComments(
  db: TaskflowDb,
  actor: Actor,
  taskId: string,
  query: CommentListQuery,
): Promise<CommentPage> {
  await authorizeTask(db, actor, taskId, "project.read");
  const after = query.cursor ? decodeCursor(query.cursor, ordering, 2) : null;
  // The key keeps PostgreSQL's microseconds: a JavaScript Date would round them away.
  const rows = await selectComments(db, { key: sql<string>`${comments.createdAt}::text`.as("sort_key") })
    .where(
      and(
        eq(comments.taskId, taskId),
        after
          ? sql`(${comments.createdAt}, ${comments.id}) > (${after[0]}::timestamptz, ${after[1]}::uuid)`
          : undefined,
      ),
    )
    .orderBy(asc(comments.createdAt), asc(comments.id))
    .limit(query.limit + 1);
  const last = rows.length > query.limit ? rows[query.limit - 1] : undefined;
  return {
    items: rows.slice(0, query.limit).map(toComment),
    nextCursor: last ? encodeCursor(ordering, [last.key, last.comment.id]) : null,
  };
}
