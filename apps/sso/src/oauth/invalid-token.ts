// A JWT access token whose signature (or key, algorithm, issuer) does not verify is bad input: userinfo
// answers 401 `invalid_token` with the RFC 6750 §3.1 challenge. @better-auth/oauth-provider 1.7.5 rethrows
// jose's verification error from its userinfo endpoint instead, and Better Auth's router would answer a bare
// 500 (and print the error to the console). The router hands the error to `onAPIError.onError` (auth.ts)
// first, and answers an APIError thrown from there as that error, so `onError` throws the 401 instead.
// `onError` is not told which endpoint failed: app.ts runs each Better Auth request inside `forAuthPath`.
import { AsyncLocalStorage } from "node:async_hooks";
import { APIError } from "better-auth/api";

const currentPath = new AsyncLocalStorage<string>();

/** Runs one Better Auth request, so `onAPIError.onError` can tell which endpoint it is answering. */
export function forAuthPath<T>(path: string, run: () => Promise<T>): Promise<T> {
  return currentPath.run(path, run);
}

/** The path of the Better Auth request in progress (undefined outside one, e.g. `auth.api` calls). */
export function authPathInProgress(): string | undefined {
  return currentPath.getStore();
}

/**
 * A token that failed jose's verification: bad signature, no matching key, algorithm not allowed, claims
 * (issuer) not valid. jose is not a runtime dependency of the SSO (Better Auth brings it), so its errors are
 * recognised by their documented `code`s.
 */
export function isTokenVerificationFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === "string" && /^ERR_(JWS|JWT|JWK|JWKS|JOSE)_/.test(code);
}

const DESCRIPTION = "Invalid access token";

/** The provider's own answer for an access token that is not valid, challenge included. */
export function invalidTokenError(): APIError {
  return new APIError(
    "UNAUTHORIZED",
    { error: "invalid_token", error_description: DESCRIPTION },
    {
      "WWW-Authenticate": `Bearer error="invalid_token", error_description="${DESCRIPTION}"`,
      "Cache-Control": "no-store",
      Pragma: "no-cache",
    },
  );
}
