import { and, eq, gt, isNull, or } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import type { TaskflowExecutor } from "../db/database.ts";
import { agentKeys } from "../db/schema/agent-keys.ts";
import { workers } from "../db/schema/workers.ts";
import { DomainError, forbidden } from "../errors.ts";
import { authorizeProjectEvents } from "../events/event-access.ts";
import type { SubjectRevokedCheck } from "../personal-tokens/voided-token-sweeper.ts";

/** What the owner rule needs of a webhook: whose it is, where, and since when. */
export interface OwnedWebhook {
  tenantId: string;
  projectId: string;
  /** The owner: who created it, or the admin who last took it over (webhooks.created_by). */
  createdBy: string | null;
  createdAt: Date;
}

/**
 * The worker as the owner rule sees them, without any token: a person with no organization role (roles
 * live in the SSO, which deliveries are decided without) and no token scope, so their project membership
 * decides; an agent with each of its live keys in turn.
 */
async function ownerActors(
  db: TaskflowExecutor,
  tenantId: string,
  workerId: string,
  now: Date,
): Promise<{ actors: Actor[]; handle: string; userId: string | null } | string> {
  const [worker] = await db
    .select()
    .from(workers)
    .where(and(eq(workers.id, workerId), eq(workers.tenantId, tenantId)));
  if (!worker) return "its owner's account is gone";
  if (worker.deletedAt) return `its owner ${worker.handle} was deleted`;
  const base = { tenantId, workerId, orgRole: null, channel: "api", scopes: null } as const;
  if (worker.kind === "human") {
    return { actors: [{ ...base, type: "human" }], handle: worker.handle, userId: worker.userId };
  }
  const keys = await db
    .select({ id: agentKeys.id, projectIds: agentKeys.projectIds, actions: agentKeys.actions })
    .from(agentKeys)
    .where(
      and(
        eq(agentKeys.workerId, workerId),
        isNull(agentKeys.revokedAt),
        or(isNull(agentKeys.expiresAt), gt(agentKeys.expiresAt, now)),
      ),
    );
  if (keys.length === 0) return `its owner ${worker.handle} has no live API key`;
  return {
    actors: keys.map((key) => ({
      ...base,
      type: "agent",
      keyId: key.id,
      keyScope: { projectIds: key.projectIds, actions: key.actions },
    })),
    handle: worker.handle,
    userId: null,
  };
}

/**
 * The one rule for a webhook's deliveries: a webhook sends the project's events with its owner's authority,
 * so it may send while its owner may receive them, decided exactly as an event stream is
 * (authorizeProjectEvents: the project's read permission, by role and key scope). A person counts by their
 * project membership (an organization role lives in the SSO and cannot be checked without their token) and
 * must not have been banned or deleted since they took the webhook (the SSO's revocation feed); an agent
 * must not be deleted and must have a live key that may read the project. Returns null when it may send, or
 * why not, in words for the webhook's state and its `webhook.paused` audit row. The dispatcher asks it before
 * every delivery and sweeps active webhooks with it; creating or resuming a webhook asks it of the caller.
 */
export async function webhookOwnerRefusal(
  db: TaskflowExecutor,
  webhook: OwnedWebhook,
  options: { isSubjectRevoked?: SubjectRevokedCheck | undefined; now?: Date } = {},
): Promise<string | null> {
  if (!webhook.createdBy) return "it has no owner (its creator's account is gone)";
  const now = options.now ?? new Date();
  const owner = await ownerActors(db, webhook.tenantId, webhook.createdBy, now);
  if (typeof owner === "string") return owner;
  if (
    owner.userId &&
    options.isSubjectRevoked?.(owner.userId, Math.floor(webhook.createdAt.getTime() / 1000))
  ) {
    return `its owner ${owner.handle} was banned or their account deleted`;
  }
  for (const actor of owner.actors) {
    try {
      await authorizeProjectEvents(db, actor, webhook.projectId);
      return null;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  }
  return owner.actors[0]?.type === "agent"
    ? `its owner ${owner.handle} has no key that may read the project`
    : `its owner ${owner.handle} may not read the project`;
}

/**
 * Refuses (403) a caller who could not own a webhook of the project: creating one, or resuming a paused
 * one (which takes it over), makes the caller its owner, and a webhook its owner could not send would
 * only be paused at its first delivery.
 */
export async function assertCanOwnWebhook(
  db: TaskflowExecutor,
  actor: Actor,
  projectId: string,
): Promise<void> {
  const refusal = await webhookOwnerRefusal(db, {
    tenantId: actor.tenantId,
    projectId,
    createdBy: actor.workerId,
    createdAt: new Date(),
  });
  if (!refusal) return;
  throw forbidden(
    "a webhook sends the project's events with its owner's access, which every delivery checks: by project " +
      "membership for a person (an organization role is not enough: join the project first), by a live key " +
      `that may read the project for an agent; here ${refusal.replace(/^its owner /, "")}`,
  );
}
