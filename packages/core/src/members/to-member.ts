import type { Member } from "@taskflow/contracts";
import type { ProjectRole } from "../db/schema/projects.ts";
import { toWorkerSummary, type WorkerRow } from "../workers/to-worker.ts";

export interface MembershipRow {
  projectId: string;
  role: ProjectRole;
  createdAt: Date;
}

export function toMember(
  membership: MembershipRow,
  worker: Pick<WorkerRow, "id" | "kind" | "handle" | "name">,
): Member {
  return {
    projectId: membership.projectId,
    role: membership.role,
    worker: toWorkerSummary(worker),
    createdAt: membership.createdAt.toISOString(),
  };
}
