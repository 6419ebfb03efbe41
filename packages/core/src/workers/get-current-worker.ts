import type { Worker } from "@taskflow/contracts";
import { and, eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import type { TaskflowDb } from "../db/database.ts";
import { workers } from "../db/schema/workers.ts";
import { notFound } from "../errors.ts";
import { toWorker } from "./to-worker.ts";
import { selectVisibleWorkers } from "./worker-visibility.ts";

/**
 * The worker the caller acts as: a person's own record, or the agent behind a key. Shown through the
 * same rule as everyone else (worker-visibility.ts), which shows a person their own email address.
 */
export async function getCurrentWorker(db: TaskflowDb, actor: Actor): Promise<Worker> {
  const { rows, seen } = selectVisibleWorkers(db, actor);
  const [row] = await rows.where(and(seen, eq(workers.id, actor.workerId)));
  if (!row) throw notFound("worker");
  return toWorker(row);
}
