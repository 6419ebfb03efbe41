import type { AgentEndpoint, AgentEndpointWithSecret } from "@taskflow/contracts";
import { eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { authorizeAgentManagement } from "../agents/authorize-agent-management.ts";
import { loadAgent } from "../agents/load-agent.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { TaskflowDb, TaskflowTx } from "../db/database.ts";
import { agentEndpoints } from "../db/schema/runs.ts";
import { forbidden, notFound } from "../errors.ts";
import { generateWebhookSecret } from "../webhooks/signature.ts";
import { assertWebhookTarget, type TargetPolicy } from "../webhooks/target-guard.ts";
import { withoutWebhookUrl } from "../webhooks/to-webhook.ts";

type EndpointRow = typeof agentEndpoints.$inferSelect;

/**
 * Who may set, see, rotate or remove an agent's endpoint: the agent itself, with a key that may claim work (its
 * endpoint is where work is pushed to it), or the organization's owners and admins, who manage agents. Anyone
 * else is refused; another tenant's agent is not found.
 */
export async function authorizeAgentEndpoint(
  tx: TaskflowDb | TaskflowTx,
  actor: Actor,
  agentId: string,
  use: "read" | "manage",
): Promise<void> {
  if (actor.type === "agent") {
    if (actor.workerId !== agentId) {
      await loadAgent(tx, actor, agentId);
      throw forbidden("an agent manages only its own endpoint");
    }
    // The key's projects do not matter here: the endpoint is the agent's, not a project's.
    const actions = actor.keyScope?.actions;
    if (actions && !actions.includes("claim")) {
      throw forbidden(`this API key lacks the "claim" scope (it has: ${actions.join(", ") || "none"})`);
    }
    return;
  }
  authorizeAgentManagement(actor, use);
  await loadAgent(tx, actor, agentId);
}

function toEndpoint(row: EndpointRow): AgentEndpoint {
  return {
    agentId: row.agentId,
    url: row.url,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * Registers (or moves) where an agent's dispatches go. The URL is guarded as webhook targets are (no loopback,
 * private or metadata addresses unless the server allows private targets; checked again at every delivery). A
 * new endpoint gets a signing secret, shown in this answer only; moving it keeps the secret.
 */
export async function setAgentEndpoint(
  db: TaskflowDb,
  actor: Actor,
  agentId: string,
  input: { url: string },
  policy: TargetPolicy,
): Promise<{ endpoint: AgentEndpointWithSecret | AgentEndpoint; created: boolean }> {
  await authorizeAgentEndpoint(db, actor, agentId, "manage");
  await assertWebhookTarget(input.url, policy);
  return db.transaction(async (tx) => {
    const now = new Date();
    const [before] = await tx
      .select()
      .from(agentEndpoints)
      .where(eq(agentEndpoints.agentId, agentId))
      .for("update");
    if (before) {
      const [moved] = await tx
        .update(agentEndpoints)
        .set({ url: input.url, updatedAt: now })
        .where(eq(agentEndpoints.agentId, agentId))
        .returning();
      if (!moved) throw notFound("endpoint");
      await audit(tx, actor, agentId, "agent_endpoint.updated", before, moved);
      return { endpoint: toEndpoint(moved), created: false };
    }
    const [created] = await tx
      .insert(agentEndpoints)
      .values({ agentId, tenantId: actor.tenantId, url: input.url, secret: generateWebhookSecret() })
      .returning();
    if (!created) throw new Error("insert returned no endpoint");
    await audit(tx, actor, agentId, "agent_endpoint.set", null, created);
    return { endpoint: { ...toEndpoint(created), secret: created.secret }, created: true };
  });
}

/** An agent's endpoint (never its secret). */
export async function getAgentEndpoint(
  db: TaskflowDb,
  actor: Actor,
  agentId: string,
): Promise<AgentEndpoint> {
  await authorizeAgentEndpoint(db, actor, agentId, "read");
  const [row] = await db.select().from(agentEndpoints).where(eq(agentEndpoints.agentId, agentId));
  if (!row) throw notFound("endpoint");
  return toEndpoint(row);
}

/** A new signing secret, shown once; deliveries sent from now on carry it. */
export async function rotateAgentEndpointSecret(
  db: TaskflowDb,
  actor: Actor,
  agentId: string,
): Promise<AgentEndpointWithSecret> {
  await authorizeAgentEndpoint(db, actor, agentId, "manage");
  return db.transaction(async (tx) => {
    const [rotated] = await tx
      .update(agentEndpoints)
      .set({ secret: generateWebhookSecret(), updatedAt: new Date() })
      .where(eq(agentEndpoints.agentId, agentId))
      .returning();
    if (!rotated) throw notFound("endpoint");
    await audit(tx, actor, agentId, "agent_endpoint.secret_rotated", null, rotated);
    return { ...toEndpoint(rotated), secret: rotated.secret };
  });
}

/** No more dispatches; queued ones fail for want of an endpoint. */
export async function deleteAgentEndpoint(db: TaskflowDb, actor: Actor, agentId: string): Promise<void> {
  await authorizeAgentEndpoint(db, actor, agentId, "manage");
  await db.transaction(async (tx) => {
    const [removed] = await tx.delete(agentEndpoints).where(eq(agentEndpoints.agentId, agentId)).returning();
    if (!removed) throw notFound("endpoint");
    await audit(tx, actor, agentId, "agent_endpoint.deleted", removed, null);
  });
}

/**
 * Audited without the secret, and with the URL's origin in place of the URL: like a webhook's, an endpoint's
 * URL may itself be a bearer secret (withoutWebhookUrl; toAuditEntry redacts older rows when they are read).
 */
async function audit(
  tx: TaskflowTx,
  actor: Actor,
  agentId: string,
  action: string,
  before: EndpointRow | null,
  after: EndpointRow | null,
): Promise<void> {
  await recordAudit(tx, actor, {
    entityType: "agent_endpoint",
    entityId: agentId,
    action,
    before: before ? withoutWebhookUrl(toEndpoint(before)) : null,
    after: after ? withoutWebhookUrl(toEndpoint(after)) : null,
  });
}
