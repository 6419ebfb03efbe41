import { z } from "@hono/zod-openapi";
import { Cursor, Id, PageLimit, page, Timestamp } from "./common.ts";

export const AuditEntry = z
  .object({
    id: z.string().openapi({ description: "Increasing sequence number" }),
    entityType: z.enum([
      "project",
      "member",
      "worker",
      "agent_key",
      "personal_token",
      "task",
      "comment",
      "webhook",
      "run",
      "agent_endpoint",
    ]),
    entityId: z.string(),
    action: z.string().openapi({ example: "task.status_changed" }),
    actorId: Id.nullable(),
    actorType: z.enum(["human", "agent", "system"]),
    channel: z.enum(["web", "api", "mcp", "pat", "system"]).openapi({
      description:
        "How the change was made: the dashboard, the API, MCP, a personal access token, the system",
    }),
    projectId: Id.nullable(),
    taskId: Id.nullable(),
    before: z.unknown().nullable(),
    after: z.unknown().nullable(),
    createdAt: Timestamp,
  })
  .openapi("AuditEntry");
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditQuery = z.strictObject({ limit: PageLimit, cursor: Cursor.optional() });
export const AuditPage = page(AuditEntry, "AuditPage");
export type AuditPage = z.infer<typeof AuditPage>;
