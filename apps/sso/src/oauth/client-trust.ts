import { eq } from "drizzle-orm";
import type { SsoDatabase } from "../auth.ts";
import * as schema from "../db/schema.ts";

/**
 * Who vouches for an OAuth client. Configured clients (the dashboard, EXTRA_OAUTH_CLIENTS: seed.ts
 * marks them `seeded`) and clients an administrator made on the admin page (`createdByAdministrator`)
 * are verified: someone who runs this SSO chose their name and redirect addresses. Every other client
 * registered itself (`POST /api/auth/oauth2/register`, no authentication): its name is whatever it said
 * and its redirect addresses are wherever it likes. Dynamic registration never stores these marks
 * (registration-scopes.ts overwrites the metadata of a new registration), and a client without either
 * mark is unverified, so a client made before the marks existed is never taken for a verified one.
 */
export const ADMINISTRATOR_MARK = { createdByAdministrator: true } as const;
export const SELF_REGISTERED_MARK = { selfRegistered: true } as const;

export function isVerifiedMetadata(metadata: unknown): boolean {
  if (typeof metadata !== "object" || metadata === null) return false;
  const marks = metadata as { seeded?: unknown; createdByAdministrator?: unknown };
  return marks.seeded === true || marks.createdByAdministrator === true;
}

export interface ClientIdentity {
  name: string;
  verified: boolean;
  /** The hosts of its registered redirect URIs, as a person would read them. */
  redirectHosts: string[];
}

/** A client as our consent and device pages present it; undefined for an unknown client id. */
export async function clientIdentity(db: SsoDatabase, clientId: string): Promise<ClientIdentity | undefined> {
  const [client] = await db
    .select({
      name: schema.oauthClient.name,
      metadata: schema.oauthClient.metadata,
      redirectUris: schema.oauthClient.redirectUris,
    })
    .from(schema.oauthClient)
    .where(eq(schema.oauthClient.clientId, clientId))
    .limit(1);
  if (!client) return undefined;
  return {
    name: client.name || clientId,
    verified: isVerifiedMetadata(client.metadata),
    redirectHosts: [...new Set(client.redirectUris.map(redirectHost).filter((host) => host !== undefined))],
  };
}

/** `evil.example`, `localhost:3118`, `cursor://anysphere.cursor-mcp`: where a redirect URI sends the browser. */
export function redirectHost(uri: string): string | undefined {
  if (!URL.canParse(uri)) return undefined;
  const url = new URL(uri);
  if (url.protocol === "http:" || url.protocol === "https:") return url.host;
  return `${url.protocol}//${url.host}`;
}
