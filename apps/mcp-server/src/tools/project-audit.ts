import { AuditPage } from "@taskflow/contracts";
import { listProjectAudit } from "@taskflow/core";
import { z } from "zod";
import { auditLines } from "./audit-lines.ts";
import { pageCursor, pageLimit, projectId } from "./fields.ts";
import { defineTool } from "./tool-kit.ts";

export const projectAuditTool = defineTool({
  name: "taskflow_project_audit",
  action: "audit.read",
  title: "A project's history",
  description: "Everything that changed in a project, newest first.",
  input: z.object({
    projectId,
    limit: pageLimit(100),
    cursor: pageCursor,
  }),
  output: AuditPage,
  annotations: { readOnlyHint: true, idempotentHint: true },
  run: ({ db, actor }, { projectId: id, ...page }) => listProjectAudit(db, actor, id, page),
  summarize: auditLines,
});
