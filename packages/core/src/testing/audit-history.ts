import { randomUUID } from "node:crypto";
import type { auditLog } from "../db/schema/audit.ts";

export type AuditRowValues = typeof auditLog.$inferInsert;

/** The task columns the insights read from an audit snapshot, as the domain writes them (dates as ISO text). */
interface TaskSnapshot {
  id: string;
  projectId: string;
  status: string;
  assigneeId: string | null;
  claimedById: string | null;
  claimedAt: string | null;
  leaseExpiresAt: string | null;
  startedAt: string | null;
}

export interface HistoryWorker {
  id: string;
  kind: "human" | "agent";
}

/**
 * A task's audit trail written as the domain writes it (the same actions, the task row before and after,
 * the claim rules of applyClaim, claimAfterStatusChange and expireLeases), but at times the caller picks:
 * for tests that need exact durations and for the insights bench that seeds a long history.
 */
export class TaskStory {
  readonly rows: AuditRowValues[] = [];
  readonly id = randomUUID();
  private task: TaskSnapshot | null = null;
  private readonly tenantId: string;
  private readonly projectId: string;

  constructor(tenantId: string, projectId: string) {
    this.tenantId = tenantId;
    this.projectId = projectId;
  }

  created(at: Date, by: HistoryWorker, assignee: HistoryWorker | null = null): this {
    const after: TaskSnapshot = {
      id: this.id,
      projectId: this.projectId,
      status: "pending",
      assigneeId: assignee?.id ?? null,
      claimedById: null,
      claimedAt: null,
      leaseExpiresAt: null,
      startedAt: null,
    };
    this.write("task.created", at, by, after);
    return this;
  }

  claimed(at: Date, agent: HistoryWorker, leaseSeconds = 900): this {
    return this.change("task.claimed", at, agent, (t) => ({
      ...t,
      status: "in_progress",
      assigneeId: agent.id,
      claimedById: agent.id,
      claimedAt: at.toISOString(),
      leaseExpiresAt: new Date(at.getTime() + leaseSeconds * 1000).toISOString(),
      startedAt: t.startedAt ?? at.toISOString(),
    }));
  }

  /** A status change (start, hand in, block, complete, reopen) through applyStatusChange. */
  moved(to: string, at: Date, by: HistoryWorker, action = "task.status_changed"): this {
    return this.change(action, at, by, (t) => ({
      ...t,
      status: to,
      ...(to === "in_progress" ? {} : { claimedById: null, claimedAt: null, leaseExpiresAt: null }),
      startedAt: to === "in_progress" ? (t.startedAt ?? at.toISOString()) : t.startedAt,
    }));
  }

  approved(at: Date, reviewer: HistoryWorker): this {
    return this.moved("completed", at, reviewer, "task.approved");
  }

  /** Back to in progress; an agent assignee gets a fresh claim from now (claimAfterStatusChange). */
  rejected(at: Date, reviewer: HistoryWorker, assigneeIsAgent: boolean, leaseSeconds = 900): this {
    return this.change("task.rejected", at, reviewer, (t) => ({
      ...t,
      status: "in_progress",
      ...(assigneeIsAgent && t.assigneeId
        ? {
            claimedById: t.assigneeId,
            claimedAt: at.toISOString(),
            leaseExpiresAt: new Date(at.getTime() + leaseSeconds * 1000).toISOString(),
          }
        : { claimedById: null, claimedAt: null, leaseExpiresAt: null }),
    }));
  }

  stopRequested(at: Date, by: HistoryWorker): this {
    return this.change("task.stop_requested", at, by, (t) => ({ ...t }));
  }

  stopAcknowledged(at: Date, agent: HistoryWorker): this {
    return this.change("task.stop_acknowledged", at, agent, (t) => ({ ...t, ...noClaim, status: "pending" }));
  }

  released(at: Date, agent: HistoryWorker): this {
    return this.change("task.released", at, agent, (t) => ({
      ...t,
      ...noClaim,
      assigneeId: null,
      status: "pending",
    }));
  }

  /** The sweep noticed the lapsed lease at `at` (some time after it ran out). */
  leaseExpired(at: Date): this {
    return this.change("lease.expired", at, null, (t) => ({
      ...t,
      ...noClaim,
      assigneeId: t.assigneeId === t.claimedById ? null : t.assigneeId,
      status: "pending",
    }));
  }

  /** A progress heartbeat: audited with the task, its claim unchanged. */
  progressed(at: Date, by: HistoryWorker): this {
    return this.change("task.progress_updated", at, by, (t) => ({ ...t }));
  }

  /** The due reminder's row: a partial `after`, no claim in it. */
  overdue(at: Date): this {
    const t = this.current();
    this.rows.push(this.row("task.overdue", at, null, null, { dueAt: at.toISOString(), status: t.status }));
    return this;
  }

  deleted(at: Date, by: HistoryWorker): this {
    const before = this.current();
    this.rows.push(this.row("task.deleted", at, by, before, null));
    this.task = null;
    return this;
  }

  private current(): TaskSnapshot {
    if (!this.task) throw new Error("the story's task does not exist (yet, or any more)");
    return this.task;
  }

  private change(
    action: string,
    at: Date,
    by: HistoryWorker | null,
    next: (task: TaskSnapshot) => TaskSnapshot,
  ): this {
    const before = this.current();
    this.write(action, at, by, next(before), before);
    return this;
  }

  private write(
    action: string,
    at: Date,
    by: HistoryWorker | null,
    after: TaskSnapshot,
    before?: TaskSnapshot,
  ) {
    this.rows.push(this.row(action, at, by, before ?? null, after));
    this.task = after;
  }

  private row(
    action: string,
    at: Date,
    by: HistoryWorker | null,
    before: unknown,
    after: unknown,
  ): AuditRowValues {
    return {
      tenantId: this.tenantId,
      projectId: this.projectId,
      taskId: this.id,
      entityType: "task",
      entityId: this.id,
      action,
      actorId: by?.id ?? null,
      actorType: by ? by.kind : "system",
      channel: by ? (by.kind === "agent" ? "mcp" : "web") : "system",
      before,
      after,
      createdAt: at,
    };
  }
}

const noClaim = { claimedById: null, claimedAt: null, leaseExpiresAt: null };
