import { eq } from "drizzle-orm";
import type { SsoDatabase } from "../auth.ts";
import * as schema from "../db/schema.ts";
import { SELF_REGISTERED_MARK } from "./client-trust.ts";

/** Scopes that say who signed in and keep a client signed in, and give no access to TaskFlow data. */
export const IDENTITY_SCOPES = ["openid", "profile", "email", "offline_access"] as const;

/**
 * The scopes a self-registered client gets. The provider stores every scope a registration may have
 * (`clientRegistrationDefaultScopes` and `clientRegistrationAllowedScopes` together) whatever the client
 * asked for: one that asked for `taskflow:read` could then ask people for `taskflow:write` too. Here a
 * client that names scopes gets those (the provider has already refused any it may not have) and the
 * identity scopes, which many clients add to their authorization request without registering them
 * (`openid`, `offline_access`) and which reach no TaskFlow data. A client that names none gets every
 * scope a registration may have, the default RFC 7591 §2 lets a server choose: clients such as Cursor
 * register without `scope` and then ask for what the MCP server's metadata names (`taskflow:read
 * taskflow:write`). Either way the person still sees and decides every scope on the consent page.
 */
export function registeredScopes(requested: unknown, registrable: readonly string[]): string[] {
  const named = typeof requested === "string" ? requested.split(" ").filter(Boolean) : [];
  if (named.length === 0) return [...registrable];
  const wanted = new Set<string>([...IDENTITY_SCOPES, ...named]);
  return registrable.filter((scope) => wanted.has(scope));
}

/**
 * After a dynamic registration: stores the scopes the client gets (above) and marks it self-registered
 * (client-trust.ts), and returns the registration answer with that `scope`. Undefined when the
 * registration was refused.
 */
export async function settleRegistration(
  db: SsoDatabase,
  returned: unknown,
  requested: unknown,
  registrable: readonly string[],
): Promise<Record<string, unknown> | undefined> {
  if (typeof returned !== "object" || returned === null) return undefined;
  const answer = returned as Record<string, unknown>;
  if (typeof answer.client_id !== "string") return undefined;
  const scopes = registeredScopes(requested, registrable);
  await db
    .update(schema.oauthClient)
    .set({ scopes, metadata: SELF_REGISTERED_MARK, updatedAt: new Date() })
    .where(eq(schema.oauthClient.clientId, answer.client_id));
  return { ...answer, scope: scopes.join(" ") };
}
