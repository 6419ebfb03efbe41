import type { AuditPage } from "@taskflow/contracts";

export function auditLines(page: AuditPage): string {
  if (page.items.length === 0) return "No history.";
  return page.items
    .map(
      (e) =>
        `${e.createdAt} ${e.action} by ${e.actorType}${e.actorId ? ` ${e.actorId}` : ""} via ${e.channel}`,
    )
    .join("\n");
}
