import type { Comment } from "@taskflow/contracts";
import { eq, type SQL } from "drizzle-orm";
import type { TaskflowExecutor } from "../db/database.ts";
import { comments } from "../db/schema/tasks.ts";
import { workers } from "../db/schema/workers.ts";
import { toWorkerSummary } from "../workers/to-worker.ts";

export type CommentRow = typeof comments.$inferSelect;

/** Comments joined with their author; add `where`, `orderBy`, `limit`. */
export function selectComments<Extra extends Record<string, SQL.Aliased>>(
  db: TaskflowExecutor,
  extra: Extra = {} as Extra,
) {
  return db
    .select({
      comment: comments,
      author: { id: workers.id, kind: workers.kind, handle: workers.handle, name: workers.name },
      ...extra,
    })
    .from(comments)
    .innerJoin(workers, eq(workers.id, comments.authorId))
    .$dynamic();
}

export function toComment({
  comment,
  author,
}: {
  comment: CommentRow;
  author: Parameters<typeof toWorkerSummary>[0];
}): Comment {
  return {
    id: comment.id,
    taskId: comment.taskId,
    author: toWorkerSummary(author),
    kind: comment.kind,
    body: comment.body,
    progress: comment.progress,
    createdAt: comment.createdAt.toISOString(),
  };
}
