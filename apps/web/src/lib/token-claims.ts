// What the dashboard shows about the signed-in person's organization, read from the access token's claims (the
// SSO puts the active organization in every token). Display only: the API verifies the token itself.
import { decodeJwt } from "jose";

export interface OrgClaims {
  orgId?: string;
  orgRole?: string;
}

export function orgClaims(accessToken: string): OrgClaims {
  try {
    const claims = decodeJwt(accessToken);
    return {
      ...(typeof claims.org_id === "string" ? { orgId: claims.org_id } : {}),
      ...(typeof claims.org_role === "string" ? { orgRole: claims.org_role } : {}),
    };
  } catch {
    return {};
  }
}
