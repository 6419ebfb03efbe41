import type { Preferences, PreferencesUpdate } from "@taskflow/contracts";
import { and, eq } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { assertTokenScopeAllows, type PersonalEffect } from "../authorization/token-scopes.ts";
import type { TaskflowDb, TaskflowExecutor } from "../db/database.ts";
import { workers } from "../db/schema/workers.ts";
import { forbidden, notFound } from "../errors.ts";

/**
 * The one rule for a person's preferences, on every path: only one's own (the caller's worker: there is no way
 * to name another), only a person (agents have no dashboard to read dates in), with a token whose scope allows the
 * effect (`taskflow:read` to read, `taskflow:write` to change).
 */
export function authorizePreferences(
  actor: Actor,
  effect: Extract<PersonalEffect, `preferences.${string}`>,
): void {
  assertTokenScopeAllows(actor, effect);
  if (actor.type !== "human") throw forbidden("agents have no preferences: they read and write dates in UTC");
}

async function preferencesOf(db: TaskflowExecutor, actor: Actor): Promise<Preferences> {
  const [row] = await db
    .select({ timeZone: workers.timeZone })
    .from(workers)
    .where(and(eq(workers.id, actor.workerId), eq(workers.tenantId, actor.tenantId)));
  if (!row) throw notFound("worker");
  return { timeZone: row.timeZone };
}

/** The caller's preferences. */
export async function getPreferences(db: TaskflowDb, actor: Actor): Promise<Preferences> {
  authorizePreferences(actor, "preferences.read");
  return preferencesOf(db, actor);
}

/** Changes the caller's preferences (fields left out keep theirs), audited as a change of their worker. */
export async function updatePreferences(
  db: TaskflowDb,
  actor: Actor,
  changes: PreferencesUpdate,
): Promise<Preferences> {
  authorizePreferences(actor, "preferences.manage");
  return db.transaction(async (tx) => {
    const before = await preferencesOf(tx, actor);
    if (changes.timeZone === undefined || changes.timeZone === before.timeZone) return before;
    await tx
      .update(workers)
      .set({ timeZone: changes.timeZone, updatedAt: new Date() })
      .where(and(eq(workers.id, actor.workerId), eq(workers.tenantId, actor.tenantId)));
    await recordAudit(tx, actor, {
      entityType: "worker",
      entityId: actor.workerId,
      action: "preferences.changed",
      before: { timeZone: before.timeZone },
      after: { timeZone: changes.timeZone },
    });
    return { timeZone: changes.timeZone };
  });
}
