import { type JWTPayload, errors as joseErrors, jwtVerify } from "jose";
import { z } from "zod";
import type { RevokedSubjects } from "./revoked-subjects.ts";
import { remoteSigningKeys, type SigningKeySettings, signingKeyDefaults } from "./signing-keys.ts";

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

/** Verified tokens kept at most (the oldest go first): a few per active person and client. */
const maxCachedTokens = 10_000;

interface VerifiedToken {
  claims: AccessTokenClaims;
  sub: string;
  iat: number | undefined;
  /** The token's `exp`, in ms: it is verified in full again after that (and refused past the tolerance). */
  expiresAtMs: number;
  /** When the keys it was verified with were fetched: new keys (one withdrawn) mean verifying again. */
  keysFetchedAt: number | undefined;
}

/**
 * Verifies SSO access tokens locally: signature against the SSO's JWKS, issuer, audience and
 * expiry. Nothing is asked of the SSO per request: the keys are fetched once, refreshed in the
 * background, fetched again when a token names a key id we do not know (a rotated key), and kept
 * in use while the SSO cannot be reached (signing-keys.ts says how long, and why).
 *
 * A token verified once is remembered for the rest of its life, so the same token presented on every
 * request is not verified again (a signature check costs more than the rest of a list request):
 * each use still asks the revocation feed about its subject (a ban refuses it at once), and it is
 * verified in full again at its expiry and whenever the keys it was verified with are due for a
 * refresh or were replaced (a key the SSO withdrew stops being accepted as before). Only valid tokens
 * are remembered.
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
  const keys = remoteSigningKeys(options.jwksUrl, options.keys, options.onKeyRefreshError);
  const refreshAfterMs = options.keys?.refreshAfterMs ?? signingKeyDefaults.refreshAfterMs;
  const verified = new Map<string, VerifiedToken>();

  /** The remembered verification of `token`, if it still stands. */
  const remembered = (token: string): VerifiedToken | undefined => {
    const entry = verified.get(token);
    if (!entry) return undefined;
    const now = Date.now();
    const keysFetchedAt = keys.fetchedAt();
    const keysCurrent =
      entry.keysFetchedAt === keysFetchedAt &&
      keysFetchedAt !== undefined &&
      now - keysFetchedAt <= refreshAfterMs;
    if (now < entry.expiresAtMs && keysCurrent) return entry;
    verified.delete(token);
    return undefined;
  };

  const remember = (token: string, entry: VerifiedToken) => {
    if (verified.size >= maxCachedTokens) {
      const oldest = verified.keys().next().value;
      if (oldest !== undefined) verified.delete(oldest);
    }
    verified.set(token, entry);
  };

  return async (token) => {
    const known = remembered(token);
    if (known) {
      if (options.revokedSubjects?.isRevoked(known.sub, known.iat)) {
        verified.delete(token);
        throw new InvalidTokenError("the token was revoked");
      }
      return known.claims;
    }
    const keysFetchedAt = keys.fetchedAt();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys.getKey, {
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
    const verifiedClaims: AccessTokenClaims = Object.freeze({
      userId: claims.data.sub,
      tenantId: claims.data.org_id,
      orgRole: claims.data.org_role,
      email: claims.data.email,
      name: claims.data.name,
      clientId: claims.data.azp ?? claims.data.client_id,
      scopes: Object.freeze(claims.data.scope?.split(" ").filter(Boolean) ?? []) as string[],
    });
    // Remembered against the keys known when this verification began (a refresh finishing meanwhile
    // makes the next use verify again); the first keys ever fetched are the ones it was checked with.
    remember(token, {
      claims: verifiedClaims,
      sub: claims.data.sub,
      iat: payload.iat,
      expiresAtMs: (payload.exp as number) * 1000,
      keysFetchedAt: keysFetchedAt ?? keys.fetchedAt(),
    });
    return verifiedClaims;
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
