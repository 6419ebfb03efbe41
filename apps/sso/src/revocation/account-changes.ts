import { defineRequestState } from "@better-auth/core/context";
import { APIError, getSessionFromCtx, isAPIError } from "better-auth/api";
import type { SsoDatabase } from "../auth.ts";
import { isBanned, revokeRefreshTokens, sessionRefreshTokens, voidSubject } from "./grants.ts";

/**
 * When a person's access must end, their OAuth grants end with it: a session cookie is only one of the
 * things they hold, and a refresh token (offline_access) outlives every session. Called from the
 * hooks in auth.ts, on every path that bans, deletes or sets a password.
 */

/** Just enough of Better Auth's hook context (createAuthMiddleware's). */
interface HookContext {
  path?: string;
  body?: unknown;
  query?: unknown;
  context: {
    returned?: unknown;
    internalAdapter: {
      findVerificationValue(identifier: string): Promise<{ value: string; expiresAt: Date } | null>;
    };
  };
}

/** The paths that set a password. */
const PASSWORD_PATHS = new Set(["/change-password", "/reset-password", "/admin/set-user-password"]);

/** Whose password a request is about to set, and the refresh tokens to leave alone (the session changing it). */
const passwordChange = defineRequestState<{ userId?: string; keep: string[] }>(() => ({ keep: [] }));

function field(source: unknown, name: string): string | undefined {
  const value =
    typeof source === "object" && source !== null ? (source as Record<string, unknown>)[name] : undefined;
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * Before a password is set: remember whose, and which refresh tokens belong to the session doing it.
 * Read before the endpoint runs, because changing a password with revokeOtherSessions deletes every
 * session (this one too, before making a new one), and that clears the tokens' session ids.
 */
export async function beforePasswordChange(ctx: HookContext, db: SsoDatabase): Promise<void> {
  if (!ctx.path || !PASSWORD_PATHS.has(ctx.path)) return;
  if (ctx.path === "/change-password") {
    const session = await getSessionFromCtx(ctx as Parameters<typeof getSessionFromCtx>[0]);
    if (session) {
      await passwordChange.set({
        userId: session.user.id,
        keep: await sessionRefreshTokens(db, session.session.id),
      });
    }
    return;
  }
  if (ctx.path === "/reset-password") {
    const token = field(ctx.body, "token") ?? field(ctx.query, "token");
    const verification = token
      ? await ctx.context.internalAdapter.findVerificationValue(`reset-password:${token}`)
      : null;
    if (verification) await passwordChange.set({ userId: verification.value, keep: [] });
    return;
  }
  const userId = field(ctx.body, "userId");
  if (userId) await passwordChange.set({ userId, keep: [] });
}

/**
 * After a password was set: every refresh token of the person's other sessions is revoked (all of
 * them for a reset or an administrator's change, which no session of theirs made). Their sessions
 * end as Better Auth decides (reset: all; change: the account page asks for all others), but a
 * refresh token with offline_access survives its session, and the old password's holder may have one.
 */
export async function afterPasswordChange(ctx: HookContext, db: SsoDatabase): Promise<void> {
  if (!ctx.path || !PASSWORD_PATHS.has(ctx.path)) return;
  if (ctx.context.returned === undefined || isAPIError(ctx.context.returned)) return;
  const change = await passwordChange.get();
  if (change.userId) await revokeRefreshTokens(db, change.userId, change.keep);
}

/**
 * A person banned (by /admin/ban-user or any update that sets `banned`): every refresh token and
 * opaque access token is revoked, and the resource servers learn through the feed that tokens issued
 * to them until now are void. Better Auth deletes their sessions itself.
 */
export async function afterUserUpdated(
  user: { id: string; banned?: boolean | null; banExpires?: Date | null },
  db: SsoDatabase,
): Promise<void> {
  if (!isBanned(user)) return;
  await revokeRefreshTokens(db, user.id);
  await voidSubject(db, user.id, "banned");
}

/** A person deleted: their tokens go with the rows (cascade); the resource servers learn it through the feed. */
export async function afterUserDeleted(user: { id: string }, db: SsoDatabase): Promise<void> {
  await voidSubject(db, user.id, "deleted");
}

/**
 * The token endpoint issues nothing to a banned person, by any grant (a code obtained before the
 * ban, a refresh token that escaped revocation, a device code): the provider calls this for every
 * issuance to a person, before it writes anything (customTokenResponseFields).
 */
export function refuseBannedPerson(
  user: { banned?: boolean | null; banExpires?: Date | null } | undefined,
): void {
  if (user && isBanned(user)) {
    throw new APIError("BAD_REQUEST", {
      error: "invalid_grant",
      error_description: "this account is disabled",
    });
  }
}
