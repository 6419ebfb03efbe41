import { and, eq, like } from "drizzle-orm";
import type { TaskflowTx } from "../db/database.ts";
import { workers } from "../db/schema/workers.ts";

/** `@ada.lovelace` from an email or a name: the same alphabet the Handle schema accepts. */
export function handleBase(source: string): string {
  const cleaned = source
    .toLowerCase()
    .replace(/@.*$/, "")
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[^a-z0-9]+/, "")
    .slice(0, 30)
    .replace(/[-._]+$/, "");
  return `@${cleaned.length >= 2 ? cleaned : `user-${cleaned || "x"}`}`;
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
