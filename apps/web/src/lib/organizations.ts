// The organizations a person can switch between, for the organization page. The SSO names the active one in
// every access token (org_id, org_role); all of them come from its userinfo answer's `organizations` claim,
// sent for tokens granted the `organizations` scope. A session signed in before the dashboard asked for that
// scope gets no list (only the active organization) until it authorizes again.
import * as oidc from "openid-client";
import type { Session } from "./session-crypto";
import { organizationIdPattern } from "./switch-organization";
import type { OrgClaims } from "./token-claims";

export interface OrganizationChoice {
  id: string;
  /** The organization's name, or its id when the SSO did not say. */
  name: string;
  role?: string;
  active: boolean;
}

function parseEntry(value: unknown): Omit<OrganizationChoice, "active"> | undefined {
  if (!value || typeof value !== "object") return undefined;
  const entry = value as Record<string, unknown>;
  if (typeof entry.id !== "string" || !organizationIdPattern.test(entry.id)) return undefined;
  const name = typeof entry.name === "string" && entry.name.trim() ? entry.name.trim() : entry.id;
  return { id: entry.id, name, ...(typeof entry.role === "string" ? { role: entry.role } : {}) };
}

/** Whether the SSO listed the person's organizations (false for a token granted without the scope). */
export function organizationsListed(userinfo: Record<string, unknown> | undefined): boolean {
  return Array.isArray(userinfo?.organizations);
}

/** The active organization first, then the others by name; entries that are not organizations are dropped. */
export function organizationChoices(
  userinfo: Record<string, unknown> | undefined,
  active: OrgClaims,
): OrganizationChoice[] {
  const listed = Array.isArray(userinfo?.organizations) ? userinfo.organizations : [];
  const byId = new Map<string, OrganizationChoice>();
  for (const value of listed) {
    const entry = parseEntry(value);
    if (entry && !byId.has(entry.id)) byId.set(entry.id, { ...entry, active: entry.id === active.orgId });
  }
  if (active.orgId && !byId.has(active.orgId)) {
    byId.set(active.orgId, {
      id: active.orgId,
      name: active.orgId,
      ...(active.orgRole ? { role: active.orgRole } : {}),
      active: true,
    });
  }
  return [...byId.values()].sort(
    (a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name, "en"),
  );
}

/** The SSO's userinfo answer for this session, or undefined when the SSO cannot give it right now. */
export async function fetchUserInfo(
  client: oidc.Configuration,
  session: Session,
): Promise<Record<string, unknown> | undefined> {
  try {
    return await oidc.fetchUserInfo(client, session.accessToken, session.user.sub || oidc.skipSubjectCheck);
  } catch {
    return undefined;
  }
}

/**
 * What the organization page says after a switch (its query: switched, from, to), given the token's organization.
 * `to` is the organization chosen; a switch without one only authorized again (to load the list).
 */
export function switchNotice(
  query: { switched?: string; from?: string; to?: string },
  activeOrgId: string | undefined,
): { tone: "done" | "unchanged"; text: string } | undefined {
  if (query.switched !== "1") return undefined;
  const switched = "Switched. New tokens carry this organization; every page now works in it.";
  if (!query.to) {
    return query.from && query.from !== activeOrgId
      ? { tone: "done", text: switched }
      : { tone: "done", text: "Signed in again: the list below is what the sign-in service knows now." };
  }
  if (query.to !== activeOrgId) {
    return {
      tone: "unchanged",
      text:
        "The sign-in service kept your current organization, not the one you picked: you may no longer be a " +
        "member of it. The list below is what it says you belong to now.",
    };
  }
  if (query.from === activeOrgId)
    return { tone: "done", text: "You were already working in this organization." };
  return { tone: "done", text: switched };
}
