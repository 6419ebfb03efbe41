import type { Worker } from "@taskflow/contracts";
import { and, asc, eq, isNull } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { authorizeOrganizationEffect } from "../authorization/organization-access.ts";
import type { TaskflowDb } from "../db/database.ts";
import { workers } from "../db/schema/workers.ts";
import { toWorker } from "./to-worker.ts";
import { selectVisibleWorkers } from "./worker-visibility.ts";

/**
 * The people and agents of the caller's organization the caller may see (worker-visibility.ts), by
 * handle. Deleted agents are left out unless asked for: they no longer work here, but the audit trail
 * still names them.
 */
export async function listWorkers(
  db: TaskflowDb,
  actor: Actor,
  filter: { type?: Worker["kind"] | undefined; includeDeleted?: "true" | "false" | undefined } = {},
): Promise<Worker[]> {
  authorizeOrganizationEffect(actor, "worker.read");
  const { rows, seen } = selectVisibleWorkers(db, actor);
  const found = await rows
    .where(
      and(
        seen,
        filter.includeDeleted === "true" ? undefined : isNull(workers.deletedAt),
        filter.type ? eq(workers.kind, filter.type) : undefined,
      ),
    )
    .orderBy(asc(workers.handle));
  return found.map(toWorker);
}
