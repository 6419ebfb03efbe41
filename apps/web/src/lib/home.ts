// What the home page shows, from tasks gathered across the person's projects. Pure functions.
import type { AuditEntry, Project, Task } from "@taskflow/contracts";

const priorityRank: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/** Soonest due first (undated last), then highest priority, then most recently changed. */
export function byUrgency(a: Task, b: Task): number {
  const due = (t: Task) => (t.dueAt ? Date.parse(t.dueAt) : Number.POSITIVE_INFINITY);
  return (
    due(a) - due(b) ||
    (priorityRank[a.priority] ?? 9) - (priorityRank[b.priority] ?? 9) ||
    Date.parse(b.updatedAt) - Date.parse(a.updatedAt)
  );
}

/** Tasks that are someone's live claim (lease not lapsed) and held by one of `agentIds`, latest claim first. */
export function agentsAtWork(tasks: Task[], agentIds: Set<string>, now: Date): Task[] {
  return unique(tasks)
    .filter(
      (t) => t.claim && agentIds.has(t.claim.holderId) && Date.parse(t.claim.leaseExpiresAt) > now.getTime(),
    )
    .sort((a, b) => Date.parse(b.claim?.claimedAt ?? "") - Date.parse(a.claim?.claimedAt ?? ""));
}

/** Tasks in review in projects where the person may approve or reject (admins and owners). */
export function waitingForReview(tasks: Task[], projects: Pick<Project, "id" | "role">[]): Task[] {
  const reviewer = new Set(projects.filter((p) => p.role === "owner" || p.role === "admin").map((p) => p.id));
  return unique(tasks)
    .filter((t) => t.status === "review" && reviewer.has(t.projectId))
    .sort(byUrgency);
}

/** Open tasks assigned to the person. */
export function myOpenTasks(tasks: Task[], workerId: string): Task[] {
  return unique(tasks)
    .filter((t) => t.assignee?.id === workerId && t.status !== "completed")
    .sort(byUrgency);
}

/** "in 3 days", "2 hours ago": a due date or a moment, relative to now, in words. */
export function relativeTime(iso: string, now: Date): string {
  const diff = Date.parse(iso) - now.getTime();
  const abs = Math.abs(diff);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ["day", 86_400_000],
    ["hour", 3_600_000],
    ["minute", 60_000],
  ];
  const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  for (const [unit, ms] of units) {
    if (abs >= ms) return format.format(Math.round(diff / ms), unit);
  }
  return diff < 0 ? "just now" : "in under a minute";
}

function unique(tasks: Task[]): Task[] {
  const seen = new Map<string, Task>();
  for (const task of tasks) seen.set(task.id, task);
  return [...seen.values()];
}

/**
 * The projects whose audit trail the home page reads for "recent activity": where tasks changed most recently,
 * then the newest projects, at most `limit` (one request each).
 */
export function activityProjects(
  recent: Pick<Task, "projectId">[],
  projects: Pick<Project, "id">[],
  limit: number,
): string[] {
  const ids = new Set<string>();
  for (const id of [...recent.map((t) => t.projectId), ...projects.map((p) => p.id)]) {
    if (ids.size >= limit) break;
    ids.add(id);
  }
  return [...ids];
}

/** Several projects' audit entries as one list, newest first (ids are one sequence), at most `limit`. */
export function recentActivity(pages: AuditEntry[][], limit: number): AuditEntry[] {
  const seen = new Map<string, AuditEntry>();
  for (const entry of pages.flat()) seen.set(entry.id, entry);
  return [...seen.values()].sort((a, b) => Number(b.id) - Number(a.id)).slice(0, limit);
}
