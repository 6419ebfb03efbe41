import { and, eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit.ts";
import type { TaskflowDb } from "../db/database.ts";
import { workers } from "../db/schema/workers.ts";
import { isUniqueViolation } from "../errors.ts";
import { firstFreeHandle, holdsAddress, isEmailDerivedHandle, personHandleBase } from "./unique-handle.ts";

/**
 * Earlier releases made a person's handle of their email address's local part (`@alice`), which every
 * agent sharing a project read. The API makes each such handle again from the person's name
 * (unique-handle.ts) when it starts, audited `worker.handle_changed` by the system; so is a name that
 * was filled in from that handle, or that holds an address (then the handle names them). A handle the name gives anyway (`Alice` → `@alice`) stays. Handles
 * are labels, never identifiers (every input names a worker by id), so nothing refers to the old one;
 * audit entries written before keep it, as history. Safe to run again and from several replicas at
 * once (a handle taken meanwhile is left for the next start). Answers how many were renamed.
 */
export async function renameEmailDerivedHandles(db: TaskflowDb): Promise<number> {
  const people = await db
    .select({
      id: workers.id,
      tenantId: workers.tenantId,
      handle: workers.handle,
      name: workers.name,
      email: workers.email,
    })
    .from(workers)
    .where(eq(workers.kind, "human"));
  let renamed = 0;
  for (const person of people) {
    const fromAddress = isEmailDerivedHandle(person.handle, person.email);
    // A name holding an address, or filled in from a handle made of one, is the address too.
    const name =
      holdsAddress(person.name) || (fromAddress && person.name === person.handle.slice(1))
        ? null
        : person.name;
    const base = personHandleBase(name);
    const renameHandle = fromAddress && !hasBase(person.handle, base);
    if (!renameHandle && (name ?? person.handle.slice(1)) === person.name) continue;
    try {
      await db.transaction(async (tx) => {
        const handle = renameHandle ? await firstFreeHandle(tx, person.tenantId, base) : person.handle;
        const after = { handle, name: name ?? handle.slice(1) };
        const updated = await tx
          .update(workers)
          .set({ ...after, updatedAt: new Date() })
          .where(and(eq(workers.id, person.id), eq(workers.handle, person.handle)))
          .returning({ id: workers.id });
        // Another replica renamed them first.
        if (updated.length === 0) return;
        renamed += 1;
        await recordAudit(
          tx,
          { tenantId: person.tenantId, type: "system" },
          {
            entityType: "worker",
            entityId: person.id,
            action: "worker.handle_changed",
            before: { handle: person.handle, name: person.name },
            after,
          },
        );
      });
    } catch (error) {
      if (!isUniqueViolation(error, "workers_tenant_handle_uq")) throw error;
    }
  }
  return renamed;
}

function hasBase(handle: string, base: string): boolean {
  return handle === base || (handle.startsWith(`${base}-`) && /^\d+$/.test(handle.slice(base.length + 1)));
}
