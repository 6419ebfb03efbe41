import { and, eq, lt } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import type { TaskflowDb } from "../db/database.ts";
import { idempotencyKeys } from "../db/schema/idempotency.ts";
import { DomainError } from "../errors.ts";
import { credentialQualifiedKey } from "./credential-key.ts";

/** How long an answer is remembered for retries. */
export const idempotencyWindowMs = 24 * 60 * 60 * 1000;

export interface RememberedAnswer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export type IdempotencyClaim = { kind: "first" } | { kind: "replay"; answer: RememberedAnswer };

/** The row of `key` sent by this caller with this credential (credential-key.ts). */
function keyRow(actor: Actor, key: string) {
  return and(
    eq(idempotencyKeys.tenantId, actor.tenantId),
    eq(idempotencyKeys.workerId, actor.workerId),
    eq(idempotencyKeys.key, credentialQualifiedKey(actor, key)),
  );
}

/**
 * Claims `key` for this caller, credential and request. The first claim wins and does the work; a
 * retry of the same request with the same credential gets the remembered answer; the same key with
 * a different request is refused. Another credential of the same caller claims a key of its own.
 */
export async function claimIdempotencyKey(
  db: TaskflowDb,
  actor: Actor,
  key: string,
  requestHash: string,
  now: Date = new Date(),
): Promise<IdempotencyClaim> {
  const scope = keyRow(actor, key);
  // Answers older than the window are forgotten, all of this caller's: the key may be used afresh,
  // and nothing a caller was answered outlives the window in the table.
  await db
    .delete(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.tenantId, actor.tenantId),
        eq(idempotencyKeys.workerId, actor.workerId),
        lt(idempotencyKeys.createdAt, new Date(now.getTime() - idempotencyWindowMs)),
      ),
    );
  const inserted = await db
    .insert(idempotencyKeys)
    .values({
      tenantId: actor.tenantId,
      workerId: actor.workerId,
      key: credentialQualifiedKey(actor, key),
      requestHash,
    })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (inserted.length > 0) return { kind: "first" };

  const [existing] = await db.select().from(idempotencyKeys).where(scope);
  if (!existing) return claimIdempotencyKey(db, actor, key, requestHash, now);
  if (existing.requestHash !== requestHash) {
    throw new DomainError("invalid_input", "this Idempotency-Key was used for a different request", {
      issues: [
        { field: "header.idempotency-key", message: "already used with another method, path or body" },
      ],
    });
  }
  if (existing.status === null) {
    throw new DomainError(
      "conflict",
      "the first request with this Idempotency-Key is still running; retry shortly",
      {
        details: { retryAfterSeconds: 1 },
      },
    );
  }
  return {
    kind: "replay",
    answer: { status: existing.status, body: existing.responseBody, headers: existing.responseHeaders ?? {} },
  };
}

/** Remembers the answer of a first request, or forgets the claim so a retry can run again. */
export async function settleIdempotencyKey(
  db: TaskflowDb,
  actor: Actor,
  key: string,
  answer: RememberedAnswer | null,
): Promise<void> {
  const scope = keyRow(actor, key);
  if (!answer) {
    await db.delete(idempotencyKeys).where(scope);
    return;
  }
  await db
    .update(idempotencyKeys)
    .set({ status: answer.status, responseBody: answer.body ?? null, responseHeaders: answer.headers })
    .where(scope);
}
