import type { AuditPage } from "@taskflow/contracts";
import { and, eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { authorizeProject } from "../authorization/project-access.ts";
import type { TaskflowDb } from "../db/database.ts";
import { auditLog } from "../db/schema/audit.ts";
import { type AuditPageRequest, auditPage } from "./audit-page.ts";

/** The audit trail of a project (its own changes, its members', its tasks'), newest first. */
export async function listProjectAudit(
  db: TaskflowDb,
  actor: Actor,
  projectId: string,
  request: AuditPageRequest,
): Promise<AuditPage> {
  await authorizeProject(db, actor, projectId, "audit.read");
  return auditPage(
    db,
    and(eq(auditLog.tenantId, actor.tenantId), eq(auditLog.projectId, projectId)),
    request,
  );
}
