import { AuditPage } from "@taskflow/contracts";
import { listTaskAudit } from "@taskflow/core";
import { z } from "zod";
import { auditLines } from "./audit-lines.ts";
import { taskId } from "./fields.ts";
import { defineTool } from "./tool-kit.ts";

export const taskAuditTool = defineTool({
  name: "taskflow_task_audit",
  title: "A task's history",
  description: "Who changed a task, how (web, api, mcp, system) and when, newest first.",
  input: z.object({
    taskId,
    limit: z.number().int().min(1).max(100).default(20),
    cursor: z.string().min(1).optional(),
  }),
  output: AuditPage,
  annotations: { readOnlyHint: true, idempotentHint: true },
  run: ({ db, actor }, { taskId: id, ...page }) => listTaskAudit(db, actor, id, page),
  summarize: auditLines,
});
