import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey, errors as joseErrors } from "jose";

/**
 * How the resource servers keep the SSO's signing keys. Deliberate choices (issue 8), documented
 * in apps/api/README.md:
 *
 * - `refreshAfterMs` (10 min): keys older than this are fetched again, in the background: the
 *   request that notices still verifies with the keys it has, so no request waits on the SSO once
 *   keys are known. A key the SSO withdrew stops being accepted within this time.
 * - `unknownKeyCooldownMs` (5 s): a token naming a key id we do not have makes us fetch the keys
 *   at once (a rotated key is picked up by the first token signed with it), but at most once per
 *   this period, so tokens with made-up key ids cannot make us hammer the SSO.
 * - `timeoutMs` (5 s): one fetch of the key set may take this long.
 * - `retryAfterFailureMs` (5 s): after a failed fetch, none is tried again for this long.
 * - `staleIfErrorMs` (24 h): while the SSO cannot be reached, keys up to this old keep being used.
 *   Tokens live minutes, and no new ones are issued while the SSO is down, so this only has to
 *   cover the tokens already out; an outage never turns valid callers away.
 */
export interface SigningKeySettings {
  refreshAfterMs: number;
  unknownKeyCooldownMs: number;
  timeoutMs: number;
  retryAfterFailureMs: number;
  staleIfErrorMs: number;
}

export const signingKeyDefaults: SigningKeySettings = {
  refreshAfterMs: 10 * 60_000,
  unknownKeyCooldownMs: 5_000,
  timeoutMs: 5_000,
  retryAfterFailureMs: 5_000,
  staleIfErrorMs: 24 * 3_600_000,
};

/** No signing key can be had: none fetched yet (or too old) and the SSO cannot be reached. */
export class SigningKeysUnavailableError extends Error {
  constructor(cause?: unknown) {
    super("the SSO's signing keys cannot be fetched right now", { cause });
    this.name = "SigningKeysUnavailableError";
  }
}

export interface SigningKeys {
  /** For jose's jwtVerify: the key a token's header names. */
  getKey: JWTVerifyGetKey;
  /** When the keys in use were fetched (ms since the epoch), or undefined before the first fetch. */
  fetchedAt(): number | undefined;
}

/** The SSO's JWKS, fetched on first use and kept as described in {@link SigningKeySettings}. */
export function remoteSigningKeys(
  jwksUrl: string,
  settings: Partial<SigningKeySettings> = {},
  onRefreshError: (error: unknown) => void = () => {},
): SigningKeys {
  const s = { ...signingKeyDefaults, ...settings };
  let local: ReturnType<typeof createLocalJWKSet> | undefined;
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let failedAt = Number.NEGATIVE_INFINITY;
  let pending: Promise<void> | undefined;

  const fetchKeys = async (): Promise<void> => {
    const response = await fetch(jwksUrl, {
      signal: AbortSignal.timeout(s.timeoutMs),
      redirect: "manual",
      headers: { accept: "application/jwk-set+json, application/json" },
    }).catch((error: unknown) => {
      throw error instanceof Error && error.name === "TimeoutError"
        ? new joseErrors.JWKSTimeout(undefined, { cause: error })
        : error;
    });
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new joseErrors.JOSEError(`the key set answered ${response.status}`);
    }
    const json = (await response.json()) as JSONWebKeySet;
    local = createLocalJWKSet(json); // throws JWKSInvalid for anything but a key set
    fetchedAt = Date.now();
  };

  /** One fetch at a time; a failure is remembered so the next try waits `retryAfterFailureMs`. */
  const reload = (): Promise<void> => {
    pending ??= fetchKeys()
      .catch((error: unknown) => {
        failedAt = Date.now();
        throw error;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
  const mayFetch = (now: number) => now - failedAt >= s.retryAfterFailureMs;

  const getKey: JWTVerifyGetKey = async (header, token) => {
    const now = Date.now();
    if (!local || now - fetchedAt > s.staleIfErrorMs) {
      // Nothing usable yet: this request has to wait for the keys (or fail if they cannot come).
      if (!mayFetch(now) && !pending) throw new SigningKeysUnavailableError();
      await reload().catch((error: unknown) => {
        throw new SigningKeysUnavailableError(error);
      });
    } else if (now - fetchedAt > s.refreshAfterMs && mayFetch(now) && !pending) {
      reload().catch(onRefreshError);
    }
    const keys = local;
    if (!keys) throw new SigningKeysUnavailableError();
    try {
      return await keys(header, token);
    } catch (error) {
      const recent = Date.now() - fetchedAt < s.unknownKeyCooldownMs;
      if (!(error instanceof joseErrors.JWKSNoMatchingKey) || recent || !mayFetch(Date.now())) throw error;
      // A key id we do not know: perhaps the SSO rotated its key. Look once.
      try {
        await reload();
      } catch (fetchError) {
        onRefreshError(fetchError);
        throw error;
      }
      return (local ?? keys)(header, token);
    }
  };
  return { getKey, fetchedAt: () => (Number.isFinite(fetchedAt) ? fetchedAt : undefined) };
}
