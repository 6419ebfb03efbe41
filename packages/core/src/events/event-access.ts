import type { Actor } from "../actor.ts";
import { authorizeProject, type ProjectRow } from "../authorization/project-access.ts";
import type { TaskflowExecutor } from "../db/database.ts";
import { DomainError } from "../errors.ts";

/**
 * The one rule for receiving a project's events: whoever may read the project (role, organization role,
 * agent key scope: `project.read`) may receive its events, and nobody else. A stream asks it when it opens
 * and again while it lives (project-feed.ts), so a caller who loses the project stops receiving it.
 */
export async function authorizeProjectEvents(
  db: TaskflowExecutor,
  actor: Actor,
  projectId: string,
): Promise<ProjectRow> {
  const { project } = await authorizeProject(db, actor, projectId, "project.read");
  return project;
}

/**
 * How often a live stream decides again, at most: no event is delivered on a decision older than this.
 * Losses the project's own events announce (a member removed or re-roled, the project deleted, an agent
 * deleted, which removes its memberships) are decided at once; a revoked key or a ban, which no project
 * event announces, within this bound. Stated in apps/api/README.md.
 */
export const eventAccessRecheckMs = 5_000;

/** Audit actions of a project after which its streams decide again before delivering anything more. */
export const accessChangingActions: ReadonlySet<string> = new Set([
  "member.removed",
  "member.role_changed",
  "project.deleted",
]);

/**
 * Why a stream ended for its caller, sent as its last event (`access_ended`) so a client knows what to do:
 * `expired` — get a new token (or key) and reconnect with Last-Event-ID; `revoked` — the credential is no
 * longer accepted; `lost` — the caller may no longer read the project; `unavailable` — access could not be
 * checked (the database did not answer), reconnect later with Last-Event-ID.
 */
export type AccessEndReason = "expired" | "revoked" | "lost" | "unavailable";

export interface AccessEnd {
  reason: AccessEndReason;
  detail: string;
}

export const expiredEnd: AccessEnd = {
  reason: "expired",
  detail: "the credential expired: reconnect with a new one and Last-Event-ID",
};

/** A refused re-decision, as the reason the stream ends (fails closed: anything unexpected ends it too). */
export function accessEndFor(error: unknown): AccessEnd {
  if (error instanceof DomainError) {
    if (error.code === "unauthenticated") {
      return { reason: "revoked", detail: "the credential is no longer accepted" };
    }
    if (error.code === "not_found" || error.code === "forbidden") {
      return { reason: "lost", detail: "you may no longer read this project" };
    }
  }
  return { reason: "unavailable", detail: "access could not be checked: reconnect with Last-Event-ID" };
}
