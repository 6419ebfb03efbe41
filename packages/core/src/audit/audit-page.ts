import type { AuditEntry, AuditPage } from "@taskflow/contracts";
import { and, desc, lt, type SQL } from "drizzle-orm";
import type { TaskflowExecutor } from "../db/database.ts";
import { auditLog } from "../db/schema/audit.ts";
import { invalidInput } from "../errors.ts";
import { withoutWebhookUrl } from "../webhooks/to-webhook.ts";

export interface AuditPageRequest {
  limit: number;
  cursor?: string | undefined;
}

type AuditRow = typeof auditLog.$inferSelect;

/**
 * An audit row as every reader gets it (audit lists, event streams, webhook deliveries). A webhook's and an
 * agent endpoint's snapshots never carry its URL, whoever reads them (withoutWebhookUrl).
 */
export function toAuditEntry(row: AuditRow): AuditEntry {
  const shown =
    row.entityType === "webhook" || row.entityType === "agent_endpoint"
      ? withoutWebhookUrl
      : (value: unknown) => value;
  return {
    id: String(row.id),
    entityType: row.entityType,
    entityId: row.entityId,
    action: row.action,
    actorId: row.actorId,
    actorType: row.actorType,
    channel: row.channel,
    projectId: row.projectId,
    taskId: row.taskId,
    before: shown(row.before ?? null),
    after: shown(row.after ?? null),
    createdAt: row.createdAt.toISOString(),
  };
}

/** The cursor is the last id handed out, opaque to clients. */
function encodeCursor(id: number): string {
  return Buffer.from(`audit:${id}`).toString("base64url");
}

function decodeCursor(cursor: string): number {
  const match = /^audit:(\d{1,18})$/.exec(Buffer.from(cursor, "base64url").toString());
  if (!match?.[1]) throw invalidInput("query.cursor", "not a cursor this list handed out");
  return Number(match[1]);
}

/**
 * One page of audit rows matching `where`, newest first. Ids only grow, so paging on them never
 * skips or repeats a row, whatever is appended meanwhile.
 */
export async function auditPage(
  db: TaskflowExecutor,
  where: SQL | undefined,
  request: AuditPageRequest,
): Promise<AuditPage> {
  const before = request.cursor ? decodeCursor(request.cursor) : undefined;
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(where, before !== undefined ? lt(auditLog.id, before) : undefined))
    .orderBy(desc(auditLog.id))
    .limit(request.limit + 1);
  const items = rows.slice(0, request.limit);
  const last = items[items.length - 1];
  return {
    items: items.map(toAuditEntry),
    nextCursor: rows.length > request.limit && last ? encodeCursor(last.id) : null,
  };
}
