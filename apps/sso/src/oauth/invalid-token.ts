// A JWT access token whose signature (or key, algorithm, issuer) does not verify is bad input.
// @better-auth/oauth-provider 1.7.5 does not answer it as such, and Better Auth would answer a bare 500:
// - userinfo rethrows jose's verification error. Better Auth's router hands it to `onAPIError.onError`
//   (auth.ts) and answers an APIError thrown from there as that error, so `onError` throws 401
//   `invalid_token` with the RFC 6750 §3.1 challenge.
// - introspect and revoke log it as an "Introspection error" and answer 500 themselves, past `onError`.
//   So app.ts checks the token against our keys before the provider runs (oauth/unverified-jwt.ts) and
//   replaces that 500 with what each RFC says: introspect 200 `{"active": false}` (RFC 7662 §2.2: a token
//   that is not valid is simply inactive), revoke 200 (RFC 7009 §2.2: an invalid token needs no revoking).
//   The client has been authenticated by then: a bad client is refused 401 before the token is looked at.
// Neither `onError` nor the logger is told which request they serve: app.ts runs each Better Auth request
// inside `forAuthRequest`.
import { AsyncLocalStorage } from "node:async_hooks";
import { APIError } from "better-auth/api";

export interface AuthRequestContext {
  /** The path under the auth base path, e.g. `/oauth2/introspect`. */
  path: string;
  /** The form's `token` is a JWT whose signature none of our keys verify (introspect and revoke only). */
  unverifiedToken: boolean;
}

const current = new AsyncLocalStorage<AuthRequestContext>();

/** Endpoints whose client sends a token in the form, checked by app.ts before the provider runs. */
export const TOKEN_FORM_ENDPOINTS: ReadonlySet<string> = new Set(["/oauth2/introspect", "/oauth2/revoke"]);

/** Runs one Better Auth request, so `onAPIError.onError` and the logger know what it is answering. */
export function forAuthRequest<T>(context: AuthRequestContext, run: () => Promise<T>): Promise<T> {
  return current.run(context, run);
}

/** The provider's log line for the failure it turns into a 500 at introspect and revoke. */
const PROVIDER_FAILURE_LOG = "Introspection error:";

/**
 * True for the provider's error log of a token we already know does not verify: a refusal to log
 * at debug, not a fault.
 */
export function isLoggedUnverifiedToken(message: string): boolean {
  return message === PROVIDER_FAILURE_LOG && current.getStore()?.unverifiedToken === true;
}

/**
 * A token that failed jose's verification: bad signature, no matching key, algorithm not allowed, claims
 * (issuer) not valid. Recognised by jose's documented error `code`s.
 */
export function isTokenVerificationFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === "string" && /^ERR_(JWS|JWT|JWK|JWKS|JOSE)_/.test(code);
}

const DESCRIPTION = "Invalid access token";
const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" };

/** What userinfo answers instead of `error` when that is jose's verdict on the token, else undefined. */
export function answerForUnverifiedToken(error: unknown): APIError | undefined {
  const atUserinfo = current.getStore()?.path === "/oauth2/userinfo";
  return atUserinfo && isTokenVerificationFailure(error) ? invalidTokenError() : undefined;
}

/**
 * The provider's answer to a request, or the RFC's when the provider failed (500) on a token that does
 * not verify at introspect or revoke.
 */
export function withRfcAnswerForUnverifiedToken(context: AuthRequestContext, response: Response): Response {
  if (response.status !== 500 || !context.unverifiedToken) return response;
  const headers = { ...NO_STORE, "Content-Type": "application/json" };
  if (context.path === "/oauth2/introspect")
    return Response.json({ active: false }, { status: 200, headers });
  if (context.path === "/oauth2/revoke") return new Response(null, { status: 200, headers: NO_STORE });
  return response;
}

/** The provider's own answer for an access token that is not valid, challenge included. */
function invalidTokenError(): APIError {
  return new APIError(
    "UNAUTHORIZED",
    { error: "invalid_token", error_description: DESCRIPTION },
    { "WWW-Authenticate": `Bearer error="invalid_token", error_description="${DESCRIPTION}"`, ...NO_STORE },
  );
}
