import type { Worker } from "@taskflow/contracts";
import { and, asc, eq, ilike, isNull, or, sql } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { authorizeOrganizationEffect } from "../authorization/organization-access.ts";
import { authorizeProject } from "../authorization/project-access.ts";
import type { TaskflowDb } from "../db/database.ts";
import { projectMembers } from "../db/schema/projects.ts";
import { workers } from "../db/schema/workers.ts";
import { toWorker } from "./to-worker.ts";
import { selectVisibleWorkers } from "./worker-visibility.ts";

export interface WorkerSearch {
  q: string;
  projectId?: string | undefined;
  limit: number;
}

/** `%`, `_` and `\` match themselves, not as LIKE wildcards. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Workers whose handle, name or email contains `q` (case-insensitive), to @-mention or assign:
 * handles starting with it first, then by handle. Only workers the caller may see, and an email
 * address only where they may see it (worker-visibility.ts). With `projectId`, only that project's
 * members (the caller must be able to read the project).
 */
export async function searchWorkers(db: TaskflowDb, actor: Actor, search: WorkerSearch): Promise<Worker[]> {
  authorizeOrganizationEffect(actor, "worker.read");
  if (search.projectId) await authorizeProject(db, actor, search.projectId, "project.read");
  const needle = likeEscape(search.q.replace(/^@/, "").toLowerCase());
  const contains = `%${needle}%`;
  const { rows, seen, emailSeen } = selectVisibleWorkers(db, actor);
  const matches = or(
    ilike(workers.handle, contains),
    ilike(workers.name, contains),
    and(emailSeen, ilike(workers.email, contains)),
  );
  const scope = and(seen, isNull(workers.deletedAt), matches);
  const startsWith = sql<boolean>`${workers.handle} ilike ${`@${needle}%`}`;
  const query = search.projectId
    ? rows
        .innerJoin(
          projectMembers,
          and(eq(projectMembers.workerId, workers.id), eq(projectMembers.projectId, search.projectId)),
        )
        .where(scope)
    : rows.where(scope);
  const found = await query.orderBy(sql`${startsWith} desc`, asc(workers.handle)).limit(search.limit);
  return found.map(toWorker);
}
