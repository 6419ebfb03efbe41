export {
  type AccessTokenClaims,
  type AccessTokenVerifier,
  createAccessTokenVerifier,
  InvalidTokenError,
} from "./access-token-verifier.ts";
export { credentialExpiresAt } from "./credential-expiry.ts";
export { type BearerOptions, type ResolvedCaller, resolveBearer } from "./resolve-bearer.ts";
export {
  pollRevokedSubjects,
  type RevokedSubjects,
  type RevokedSubjectsSettings,
  revocationFeedUrl,
} from "./revoked-subjects.ts";
export {
  type SigningKeySettings,
  SigningKeysUnavailableError,
  signingKeyDefaults,
} from "./signing-keys.ts";
