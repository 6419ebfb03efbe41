import { type JWTPayload, errors as joseErrors, jwtVerify } from "jose";
import { z } from "zod";
import type { RevokedSubjects } from "./revoked-subjects.ts";
import { remoteSigningKeys, type SigningKeySettings } from "./signing-keys.ts";

export interface AccessTokenClaims {
  userId: string;
  tenantId: string;
  orgRole: "owner" | "admin" | "member";
  email?: string | undefined;
  name?: string | undefined;
  clientId?: string | undefined;
  scopes: string[];
}

const TaskflowClaims = z.object({
  sub: z.string().min(1),
  org_id: z.string().min(1),
  org_role: z.enum(["owner", "admin", "member"]),
  email: z.string().optional(),
  name: z.string().optional(),
  azp: z.string().optional(),
  client_id: z.string().optional(),
  scope: z.string().optional(),
});

export class InvalidTokenError extends Error {}

export type AccessTokenVerifier = (token: string) => Promise<AccessTokenClaims>;

/**
 * Verifies SSO access tokens locally: signature against the SSO's JWKS, issuer, audience and
 * expiry. Nothing is asked of the SSO per request: the keys are fetched once, refreshed in the
 * background, fetched again when a token names a key id we do not know (a rotated key), and kept
 * in use while the SSO cannot be reached (signing-keys.ts says how long, and why).
 */
export function createAccessTokenVerifier(options: {
  issuer: string;
  jwksUrl: string;
  audience: string;
  /** The key cache's timings; the defaults in signing-keys.ts are the production ones. */
  keys?: Partial<SigningKeySettings>;
  /** Told when the keys could not be refreshed (they stay in use): for a warning in the log. */
  onKeyRefreshError?: (error: unknown) => void;
  /** The SSO's revocation feed (revoked-subjects.ts): a banned or deleted person's tokens end early. */
  revokedSubjects?: Pick<RevokedSubjects, "isRevoked">;
}): AccessTokenVerifier {
  const jwks = remoteSigningKeys(options.jwksUrl, options.keys, options.onKeyRefreshError).getKey;
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ["RS256", "PS256", "ES256", "ES384", "EdDSA"],
        clockTolerance: 5,
        requiredClaims: ["exp", "sub"],
      }));
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) throw new InvalidTokenError(describe(error));
      // SigningKeysUnavailableError passes through: the token may well be valid (503, not 401).
      throw error;
    }
    const claims = TaskflowClaims.safeParse(payload);
    if (!claims.success) throw new InvalidTokenError("the token does not name an organization and role");
    if (options.revokedSubjects?.isRevoked(claims.data.sub, payload.iat)) {
      throw new InvalidTokenError("the token was revoked");
    }
    return {
      userId: claims.data.sub,
      tenantId: claims.data.org_id,
      orgRole: claims.data.org_role,
      email: claims.data.email,
      name: claims.data.name,
      clientId: claims.data.azp ?? claims.data.client_id,
      scopes: claims.data.scope?.split(" ").filter(Boolean) ?? [],
    };
  };
}

function describe(error: InstanceType<typeof joseErrors.JOSEError>): string {
  if (error instanceof joseErrors.JWTExpired) return "the token has expired";
  if (error instanceof joseErrors.JWTClaimValidationFailed)
    return `the token's ${error.claim} claim is not accepted`;
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid) {
    return "the signing keys could not be fetched";
  }
  return "the token is not valid";
}
