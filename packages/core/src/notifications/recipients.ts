import { and, eq, inArray, isNull } from "drizzle-orm";
import type { TaskflowExecutor } from "../db/database.ts";
import { projectMembers } from "../db/schema/projects.ts";
import type { tasks } from "../db/schema/tasks.ts";
import { workers } from "../db/schema/workers.ts";

type TaskRef = Pick<typeof tasks.$inferSelect, "projectId" | "creatorId">;

/** The project's people (not agents) whose role may review (task.review: admin and owner). */
async function reviewingPeople(db: TaskflowExecutor, projectId: string): Promise<string[]> {
  const rows = await db
    .select({ id: workers.id })
    .from(projectMembers)
    .innerJoin(workers, eq(workers.id, projectMembers.workerId))
    .where(
      and(
        eq(projectMembers.projectId, projectId),
        inArray(projectMembers.role, ["admin", "owner"]),
        eq(workers.kind, "human"),
        isNull(workers.deletedAt),
      ),
    );
  return rows.map((row) => row.id);
}

/**
 * Who is asked to review a task, and who answers a question nobody was named for: the task's creator when
 * they may review it (a person who is admin or owner of the project), so the one who asked for the work
 * judges it; otherwise every person who is admin or owner of the project.
 */
export async function reviewersOf(db: TaskflowExecutor, task: TaskRef): Promise<string[]> {
  const reviewers = await reviewingPeople(db, task.projectId);
  return reviewers.includes(task.creatorId) ? [task.creatorId] : reviewers;
}

/**
 * Who is told of an agent's question: the person it asks, if it names a person of the project; when it names
 * no one (or not a person of the project), the task's reviewers (reviewersOf).
 */
export async function questionRecipients(
  db: TaskflowExecutor,
  task: TaskRef,
  askedOfId: string | null | undefined,
): Promise<string[]> {
  if (askedOfId) {
    const [asked] = await db
      .select({ id: workers.id })
      .from(projectMembers)
      .innerJoin(workers, eq(workers.id, projectMembers.workerId))
      .where(
        and(
          eq(projectMembers.projectId, task.projectId),
          eq(projectMembers.workerId, askedOfId),
          eq(workers.kind, "human"),
          isNull(workers.deletedAt),
        ),
      );
    if (asked) return [asked.id];
  }
  return reviewersOf(db, task);
}
