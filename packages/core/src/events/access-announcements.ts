import { sql } from "drizzle-orm";
import type { TaskflowTx } from "../db/database.ts";
import { accessAnnouncementPrefix, eventsChannel } from "./project-events.ts";

/**
 * Tells the live streams of a tenant, on every replica, to decide again at once: one of its credentials was
 * revoked (an agent key, or all of a deleted agent's). Called inside the revoking transaction, so it is
 * delivered only if that commits. Such audit rows name no project, so the project channel's trigger does
 * not announce them; without this the streams would learn at their next interval (eventAccessRecheckMs).
 */
export async function announceAccessChange(tx: TaskflowTx, tenantId: string): Promise<void> {
  await tx.execute(sql`select pg_notify(${eventsChannel}, ${accessAnnouncementPrefix + tenantId})`);
}
