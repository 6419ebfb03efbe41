import { and, eq, isNull } from "drizzle-orm";
import type { Actor } from "../../actor.ts";
import type { TaskflowDb } from "../../db/database.ts";
import { workers } from "../../db/schema/workers.ts";
import { notFound } from "../../errors.ts";
import { writeEmailModes } from "../notification-settings.ts";
import { readUnsubscribeToken, type UnsubscribeGrant } from "./unsubscribe-token.ts";

/** What an unsubscribe link grants, for a person who still exists; a link TaskFlow did not sign is not found. */
export async function checkUnsubscribeLink(
  db: TaskflowDb,
  secret: string,
  token: string,
): Promise<UnsubscribeGrant & { tenantId: string }> {
  const grant = readUnsubscribeToken(secret, token);
  if (!grant) throw notFound("unsubscribe link");
  const [worker] = await db
    .select({ tenantId: workers.tenantId })
    .from(workers)
    .where(and(eq(workers.id, grant.workerId), eq(workers.kind, "human"), isNull(workers.deletedAt)));
  if (!worker) throw notFound("unsubscribe link");
  return { ...grant, tenantId: worker.tenantId };
}

/**
 * Follows an unsubscribe link: no more mail of the link's kinds for its person (the inbox keeps them).
 * No sign-in: the link's signature is the proof. Audited as the person's own change
 * (`notification_settings.unsubscribed`). Following it again changes nothing more.
 */
export async function unsubscribe(db: TaskflowDb, secret: string, token: string): Promise<UnsubscribeGrant> {
  const grant = await checkUnsubscribeLink(db, secret, token);
  const actor: Actor = {
    tenantId: grant.tenantId,
    workerId: grant.workerId,
    type: "human",
    orgRole: null,
    channel: "api",
    scopes: null,
  };
  await db.transaction((tx) =>
    writeEmailModes(
      tx,
      actor,
      grant.workerId,
      Object.fromEntries(grant.kinds.map((kind) => [kind, "off"])),
      "notification_settings.unsubscribed",
    ),
  );
  return { workerId: grant.workerId, kinds: grant.kinds };
}
