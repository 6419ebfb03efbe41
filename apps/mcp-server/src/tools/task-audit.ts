import { AuditPage } from "@taskflow/contracts";
import { listTaskAudit } from "@taskflow/core";
import { z } from "zod";
import { auditLines } from "./audit-lines.ts";
import { pageCursor, pageLimit, taskId } from "./fields.ts";
import { defineTool } from "./tool-kit.ts";

export const taskAuditTool = defineTool({
  name: "taskflow_task_audit",
  action: "audit.read",
  title: "A task's history",
  description: "Who changed a task, how (web, api, mcp, system) and when, newest first.",
  input: z.object({
    taskId,
    limit: pageLimit(100),
    cursor: pageCursor,
  }),
  output: AuditPage,
  annotations: { readOnlyHint: true, idempotentHint: true },
  run: ({ db, actor }, { taskId: id, ...page }) => listTaskAudit(db, actor, id, page),
  summarize: auditLines,
});
