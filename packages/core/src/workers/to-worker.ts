import type { Worker, WorkerSummary } from "@taskflow/contracts";
import type { workers } from "../db/schema/workers.ts";

export type WorkerRow = typeof workers.$inferSelect;

export function toWorker(row: WorkerRow): Worker {
  return {
    id: row.id,
    kind: row.kind,
    handle: row.handle,
    name: row.name,
    email: row.email,
    agentType: row.agentType,
    capabilities: row.capabilities,
    createdAt: row.createdAt.toISOString(),
    deletedAt: row.deletedAt?.toISOString() ?? null,
  };
}

export function toWorkerSummary(row: Pick<WorkerRow, "id" | "kind" | "handle" | "name">): WorkerSummary {
  return { id: row.id, kind: row.kind, handle: row.handle, name: row.name };
}
