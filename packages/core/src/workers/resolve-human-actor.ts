import { and, eq } from "drizzle-orm";
import type { Actor, OrgRole } from "../actor.ts";
import type { TaskflowDb, TaskflowTx } from "../db/database.ts";
import { workers } from "../db/schema/workers.ts";
import { isUniqueViolation } from "../errors.ts";
import { insertProject } from "../projects/insert-project.ts";
import { knownWorker, rememberWorker } from "./known-workers.ts";
import { firstFreeHandle, holdsAddress, personHandleBase } from "./unique-handle.ts";

/** What a transport learned from a verified SSO access token. */
export interface HumanIdentity {
  tenantId: string;
  userId: string;
  orgRole: OrgRole;
  email?: string | undefined;
  name?: string | undefined;
  channel: Actor["channel"];
  /** The token's scopes (`scope` claim): what it lets this request do (authorization/token-scopes.ts). */
  scopes: readonly string[];
}

/**
 * The human worker behind a verified token. On a user's first request in a tenant the worker is
 * created together with a default project, so a new person lands somewhere useful.
 */
export async function resolveHumanActor(db: TaskflowDb, identity: HumanIdentity): Promise<Actor> {
  const actorFor = (workerId: string): Actor => ({
    tenantId: identity.tenantId,
    workerId,
    type: "human",
    orgRole: identity.orgRole,
    channel: identity.channel,
    scopes: identity.scopes,
  });
  const existing = await findWorker(db, identity);
  if (existing) return actorFor(existing);

  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const workerId = await db.transaction(async (tx) => {
        const worker = await insertWorkerWithFreeHandle(tx, identity);
        const actor = actorFor(worker.id);
        await insertProject(tx, actor, {
          name: "My tasks",
          description: "Your first project.",
          isDefault: true,
        });
        return worker.id;
      });
      return actorFor(workerId);
    } catch (error) {
      // A concurrent first request created this user: look again.
      if (!isUniqueViolation(error)) throw error;
      const created = await findWorker(db, identity);
      if (created) return actorFor(created);
    }
  }
  throw new Error("could not create the worker for this user");
}

/**
 * The handle is derived, so losing it to a concurrent first request (people with the same name arriving
 * together) is not an error: take the next free one. Each try is a savepoint so the transaction survives.
 * The same user arriving twice at once is the caller's business (workers_tenant_user_uq).
 */
async function insertWorkerWithFreeHandle(tx: TaskflowTx, identity: HumanIdentity): Promise<{ id: string }> {
  // From the name, never the email address (unique-handle.ts says why).
  const name = identity.name?.trim();
  const usableName = name && !holdsAddress(name) ? name : undefined;
  const base = personHandleBase(usableName);
  for (let attempt = 0; ; attempt++) {
    const handle = await firstFreeHandle(tx, identity.tenantId, base);
    try {
      const [worker] = await tx.transaction((savepoint) =>
        savepoint
          .insert(workers)
          .values({
            tenantId: identity.tenantId,
            kind: "human",
            userId: identity.userId,
            handle,
            // Never the email address, nor a name holding one: a name is shown to everyone who sees the
            // worker, agents included (worker-visibility.ts).
            name: usableName ?? handle.slice(1),
            email: identity.email ?? null,
          })
          .returning({ id: workers.id }),
      );
      if (!worker) throw new Error("insert returned no worker");
      return worker;
    } catch (error) {
      if (!isUniqueViolation(error, "workers_tenant_handle_uq") || attempt >= 50) throw error;
    }
  }
}

async function findWorker(db: TaskflowDb, identity: HumanIdentity): Promise<string | undefined> {
  const known = knownWorker(db, identity.tenantId, identity.userId);
  if (known) return known;
  const [row] = await db
    .select({ id: workers.id })
    .from(workers)
    .where(and(eq(workers.tenantId, identity.tenantId), eq(workers.userId, identity.userId)));
  if (row) rememberWorker(db, identity.tenantId, identity.userId, row.id);
  return row?.id;
}
