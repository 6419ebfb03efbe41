// A person's memberships of organizations: what tokens, userinfo and the authorization endpoint read. Plain
// queries, no HTTP.
import { and, asc, eq } from "drizzle-orm";
import type { SsoDatabase } from "../auth.ts";
import * as schema from "../db/schema.ts";

export interface Membership {
  organizationId: string;
  role: string;
}

/** The first organization the person joined (their personal one unless it was deleted). */
export async function oldestMembership(db: SsoDatabase, userId: string): Promise<Membership | undefined> {
  const rows = await db
    .select({ organizationId: schema.member.organizationId, role: schema.member.role })
    .from(schema.member)
    .where(eq(schema.member.userId, userId))
    .orderBy(asc(schema.member.createdAt))
    .limit(1);
  return rows[0];
}

/** The person's membership of one organization, or undefined when they are not a member. */
export async function membershipIn(
  db: SsoDatabase,
  userId: string,
  organizationId: string,
): Promise<Membership | undefined> {
  const rows = await db
    .select({ organizationId: schema.member.organizationId, role: schema.member.role })
    .from(schema.member)
    .where(and(eq(schema.member.userId, userId), eq(schema.member.organizationId, organizationId)))
    .limit(1);
  return rows[0];
}

/** Every organization the person belongs to, with its name and their role, oldest membership first. */
export async function organizationsOf(
  db: SsoDatabase,
  userId: string,
): Promise<{ id: string; name: string; role: string }[]> {
  return db
    .select({ id: schema.organization.id, name: schema.organization.name, role: schema.member.role })
    .from(schema.member)
    .innerJoin(schema.organization, eq(schema.member.organizationId, schema.organization.id))
    .where(eq(schema.member.userId, userId))
    .orderBy(asc(schema.member.createdAt), asc(schema.organization.id));
}

/** Makes an organization the active one of an SSO session (the caller has checked the membership). */
export async function setActiveOrganization(
  db: SsoDatabase,
  sessionId: string,
  organizationId: string,
): Promise<void> {
  await db
    .update(schema.session)
    .set({ activeOrganizationId: organizationId, updatedAt: new Date() })
    .where(eq(schema.session.id, sessionId));
}
