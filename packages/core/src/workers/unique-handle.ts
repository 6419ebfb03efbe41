import { and, eq, like } from "drizzle-orm";
import type { TaskflowTx } from "../db/database.ts";
import { workers } from "../db/schema/workers.ts";

/** What a person is called when their name gives no handle (none, too short, or an address). */
export const neutralPersonHandle = "@person";

/**
 * A person's handle, from their name: `Ada Lovelace` → `@ada-lovelace`, in the alphabet the Handle
 * schema accepts. Never from their email address: agents see every handle they see a worker by, and
 * never an address (worker-visibility.ts); a handle made of the address's local part would be one. A
 * name is shown to agents already, so a handle made of it tells them nothing more. A name that holds an
 * address (some clients fill it with one) gives the neutral `@person`, as does one with no usable letters.
 */
export function personHandleBase(name: string | null | undefined): string {
  if (!name || holdsAddress(name)) return neutralPersonHandle;
  const cleaned = slug(name);
  return cleaned.length >= 2 ? `@${cleaned}` : neutralPersonHandle;
}

/** A name some client filled with an email address: neither a name nor a handle is made of it. */
export function holdsAddress(name: string): boolean {
  return name.includes("@");
}

/**
 * Whether `handle` is the one earlier releases made of an email address (its local part, as `@alice`
 * or `@alice-2`): such a handle is re-made from the name (rederive-person-handle.ts).
 */
export function isEmailDerivedHandle(handle: string, email: string | null): boolean {
  if (!email) return false;
  const local = slug(email.replace(/@.*$/, ""));
  const base = `@${local.length >= 2 ? local : `user-${local || "x"}`}`;
  return handle === base || (handle.startsWith(`${base}-`) && /^\d+$/.test(handle.slice(base.length + 1)));
}

function slug(source: string): string {
  return source
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[^a-z0-9]+/, "")
    .slice(0, 30)
    .replace(/[-._]+$/, "");
}

/** The first free handle of `base`, `base-2`, `base-3`, … in the tenant. */
export async function firstFreeHandle(tx: TaskflowTx, tenantId: string, base: string): Promise<string> {
  const taken = new Set(
    (
      await tx
        .select({ handle: workers.handle })
        .from(workers)
        .where(and(eq(workers.tenantId, tenantId), like(workers.handle, `${base}%`)))
    ).map((r) => r.handle),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}
