import { z } from "zod";

/**
 * The SSO's revocation feed, kept in memory: the people whose tokens issued before some moment are
 * void (banned, deleted). The SSO answers such a person's token requests with a refusal at once, but
 * an access token already out is a JWT the resource servers verify on their own until it expires
 * (15 minutes); this closes that gap. The feed is polled in the background every `intervalMs`,
 * never per request, so a ban reaches the API and the MCP server within one interval (plus one
 * request's time). When the SSO cannot be reached, what was known stays in force and nothing new is
 * learnt: tokens still end with their lifetime.
 */
export interface RevokedSubjects {
  /** Whether a token of `sub` issued at `issuedAt` (seconds) was voided after it was issued. */
  isRevoked(sub: string, issuedAt: number | undefined): boolean;
  /** Settles after the first poll (whatever its outcome): for start-up and tests. */
  readonly ready: Promise<void>;
  stop(): void;
}

export interface RevokedSubjectsSettings {
  /** The feed, e.g. `https://sso.example.com/api/auth/revocations` (beside the JWKS). */
  url: string;
  /** How often it is read (SSO_REVOCATION_POLL_SECONDS; default 5 s). */
  intervalMs: number;
  /** One read may take this long. */
  timeoutMs?: number;
  /** Told when reading starts failing (once per run of failures), for a warning in the log. */
  onError?: (error: unknown) => void;
}

const Feed = z.object({
  subjects: z.array(z.object({ sub: z.string().min(1), revoked_before: z.number().int().nonnegative() })),
  window_seconds: z.number().int().positive(),
});

/** The feed's address when only the JWKS address is configured: the SSO serves it beside the JWKS. */
export function revocationFeedUrl(jwksUrl: string): string {
  return new URL("revocations", jwksUrl).toString();
}

export function pollRevokedSubjects(settings: RevokedSubjectsSettings): RevokedSubjects {
  /** sub → seconds before which its tokens are void, and when the entry may be forgotten (ms). */
  const voided = new Map<string, { before: number; forgetAt: number }>();
  let failing = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let settle: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    settle = resolve;
  });

  const read = async (): Promise<void> => {
    const response = await fetch(settings.url, {
      signal: AbortSignal.timeout(settings.timeoutMs ?? 5_000),
      redirect: "manual",
      headers: { accept: "application/json" },
    });
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new Error(`the revocation feed answered ${response.status}`);
    }
    const feed = Feed.parse(await response.json());
    const now = Date.now();
    for (const { sub, revoked_before: before } of feed.subjects) {
      const known = voided.get(sub);
      // Kept as long as the SSO lists it (its window covers every token issued before), even if a
      // later read fails.
      const forgetAt = before * 1000 + feed.window_seconds * 1000;
      if (!known || known.before < before) voided.set(sub, { before, forgetAt });
    }
    for (const [sub, entry] of voided) if (entry.forgetAt < now) voided.delete(sub);
  };

  const poll = async (): Promise<void> => {
    try {
      await read();
      failing = false;
    } catch (error) {
      if (!failing) settings.onError?.(error);
      failing = true;
    } finally {
      settle();
      if (!stopped) {
        timer = setTimeout(poll, settings.intervalMs);
        // A poller alone never keeps a process alive; the server it serves does.
        timer.unref();
      }
    }
  };
  void poll();

  return {
    isRevoked: (sub, issuedAt) => {
      const entry = voided.get(sub);
      // A token without `iat` cannot show it came after the ban.
      return entry !== undefined && (issuedAt === undefined || issuedAt < entry.before);
    },
    ready,
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
