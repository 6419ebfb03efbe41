import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { hashClientSecret, SCOPES, type SsoAuth, type SsoDatabase } from "./auth.ts";
import * as schema from "./db/schema.ts";
import type { SsoConfig } from "./env.ts";
import type { ResolvedSecrets } from "./secrets.ts";

export interface SeedClient {
  clientId: string;
  clientSecret?: string;
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  public: boolean;
  applicationType: "web" | "native";
  skipConsent: boolean;
  scopes: string[];
  resources: string[];
  authMethod: "none" | "client_secret_basic" | "client_secret_post";
  grantTypes: string[];
}

/** The clients declared by configuration: the dashboard and EXTRA_OAUTH_CLIENTS. */
export function configuredClients(config: SsoConfig, secrets: ResolvedSecrets): SeedClient[] {
  const resources = [config.apiAudience, config.mcpResourceUrl];
  const clients: SeedClient[] = [];
  if (secrets.dashboardClientSecret) {
    clients.push({
      clientId: config.dashboard.clientId,
      clientSecret: secrets.dashboardClientSecret,
      name: "TaskFlow dashboard",
      redirectUris: config.dashboard.redirectUris,
      // The dashboard returns to its home page after RP-initiated logout.
      postLogoutRedirectUris: [
        ...new Set(
          config.dashboard.redirectUris.flatMap((uri) => [new URL(uri).origin, `${new URL(uri).origin}/`]),
        ),
      ],
      public: false,
      applicationType: "web",
      skipConsent: true,
      scopes: SCOPES,
      resources,
      authMethod: "client_secret_basic",
      grantTypes: ["authorization_code", "refresh_token"],
    });
  }
  for (const extra of config.extraClients) {
    const isPublic = extra.token_endpoint_auth_method === "none" || !extra.client_secret;
    clients.push({
      clientId: extra.client_id,
      ...(extra.client_secret && !isPublic ? { clientSecret: extra.client_secret } : {}),
      name: extra.client_name ?? extra.client_id,
      redirectUris: extra.redirect_uris,
      postLogoutRedirectUris: extra.post_logout_redirect_uris ?? [],
      public: isPublic,
      applicationType:
        extra.application_type ??
        (extra.redirect_uris.every((uri) =>
          ["localhost", "127.0.0.1", "[::1]"].includes(new URL(uri).hostname),
        )
          ? "native"
          : "web"),
      skipConsent: extra.skip_consent ?? false,
      scopes: extra.scope ? extra.scope.split(" ").filter(Boolean) : SCOPES,
      resources,
      authMethod: isPublic ? "none" : (extra.token_endpoint_auth_method ?? "client_secret_basic"),
      grantTypes: extra.grant_types ?? ["authorization_code", "refresh_token"],
    });
  }
  return clients;
}

/** Inserts or updates each configured client (keyed by client id) and links it to its resources. */
export async function seedClients(db: SsoDatabase, clients: SeedClient[]): Promise<void> {
  const now = new Date();
  for (const client of clients) {
    const values = {
      clientSecret: client.clientSecret ? hashClientSecret(client.clientSecret) : null,
      disabled: false,
      skipConsent: client.skipConsent,
      enableEndSession: true,
      scopes: client.scopes,
      name: client.name,
      redirectUris: client.redirectUris,
      postLogoutRedirectUris: client.postLogoutRedirectUris,
      tokenEndpointAuthMethod: client.authMethod,
      applicationType: client.applicationType,
      grantTypes: client.grantTypes,
      responseTypes: ["code"],
      requirePKCE: true,
      updatedAt: now,
      metadata: { seeded: true },
    };
    await db
      .insert(schema.oauthClient)
      .values({ id: randomUUID(), clientId: client.clientId, createdAt: now, ...values })
      .onConflictDoUpdate({ target: schema.oauthClient.clientId, set: values });
    await linkClientResources(db, client.clientId, client.resources);
  }
}

/** Lets a client ask for tokens for these resources (the provider enforces per-client resources). */
export async function linkClientResources(
  db: SsoDatabase,
  clientId: string,
  resources: string[],
): Promise<void> {
  const linked = await db
    .select({ resourceId: schema.oauthClientResource.resourceId })
    .from(schema.oauthClientResource)
    .where(eq(schema.oauthClientResource.clientId, clientId));
  const have = new Set(linked.map((row) => row.resourceId));
  for (const resource of resources) {
    if (have.has(resource)) continue;
    await db
      .insert(schema.oauthClientResource)
      .values({ id: randomUUID(), clientId, resourceId: resource, createdAt: new Date() });
  }
}

/** Creates the first admin (verified, role admin) once; later runs only make sure the role is kept. */
export async function seedAdmin(
  auth: SsoAuth,
  db: SsoDatabase,
  admin: { email: string; password: string },
): Promise<void> {
  const email = admin.email.toLowerCase();
  const found = await db.select().from(schema.user).where(eq(schema.user.email, email)).limit(1);
  const existing = found[0];
  if (existing) {
    if (existing.role !== "admin" || !existing.emailVerified) {
      await db
        .update(schema.user)
        .set({ role: "admin", emailVerified: true, updatedAt: new Date() })
        .where(eq(schema.user.id, existing.id));
    }
    return;
  }
  const ctx = await auth.$context;
  const user = await ctx.internalAdapter.createUser(
    {
      email,
      name: "Administrator",
      emailVerified: true,
      role: "admin",
    },
    { method: "admin" },
  );
  await ctx.internalAdapter.linkAccount({
    userId: user.id,
    providerId: "credential",
    accountId: user.id,
    password: await ctx.password.hash(admin.password),
  });
}
