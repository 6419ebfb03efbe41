import type { Worker } from "@taskflow/contracts";
import { eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import type { TaskflowDb } from "../db/database.ts";
import { workers } from "../db/schema/workers.ts";
import { notFound } from "../errors.ts";
import { toWorker } from "./to-worker.ts";

/** The worker the caller acts as: a person's own record, or the agent behind a key. */
export async function getCurrentWorker(db: TaskflowDb, actor: Actor): Promise<Worker> {
  const [row] = await db.select().from(workers).where(eq(workers.id, actor.workerId));
  if (!row) throw notFound("worker");
  return toWorker(row);
}
