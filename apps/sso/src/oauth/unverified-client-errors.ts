import { createAuthMiddleware, isAPIError } from "better-auth/api";
import type { BetterAuthPlugin } from "better-auth/types";
import { eq } from "drizzle-orm";
import type { SsoDatabase } from "../auth.ts";
import * as schema from "../db/schema.ts";
import { isVerifiedMetadata } from "./client-trust.ts";
import { isLoopbackRedirect } from "./native-registration.ts";

/** Where the provider was about to send the browser, and how it said so (a Location, or JSON for our pages). */
function outgoingRedirect(returned: unknown): { url: string; as: "location" | "json" } | undefined {
  if (isAPIError(returned)) {
    // A redirect thrown with ctx.redirect carries its Location in the error's headers; other errors may
    // carry none, or a plain record.
    const headers = (returned as { headers?: unknown }).headers;
    if (!headers || typeof headers !== "object") return undefined;
    const location = new Headers(headers as ConstructorParameters<typeof Headers>[0]).get("location");
    return location ? { url: location, as: "location" } : undefined;
  }
  if (typeof returned === "object" && returned !== null) {
    const answer = returned as { redirect?: unknown; url?: unknown };
    if (answer.redirect === true && typeof answer.url === "string") return { url: answer.url, as: "json" };
  }
  return undefined;
}

/** The OAuth error code an outgoing redirect carries (query or fragment), if it carries one. */
function errorCode(url: URL): string | undefined {
  const code = url.searchParams.get("error") ?? new URLSearchParams(url.hash.slice(1)).get("error");
  return code ?? undefined;
}

/** The client of the authorization request behind this call: in its query or body, or in the signed `oauth_query` our pages pass on. */
function requestClientId(ctx: { query?: unknown; body?: unknown }): string | undefined {
  for (const source of [ctx.query, ctx.body]) {
    if (typeof source !== "object" || source === null) continue;
    const fields = source as { client_id?: unknown; oauth_query?: unknown };
    if (typeof fields.client_id === "string") return fields.client_id;
    if (typeof fields.oauth_query === "string") {
      const clientId = new URLSearchParams(fields.oauth_query).get("client_id");
      if (clientId) return clientId;
    }
  }
  return undefined;
}

async function isVerifiedClient(db: SsoDatabase, clientId: string | undefined): Promise<boolean> {
  if (!clientId) return false;
  const [client] = await db
    .select({ metadata: schema.oauthClient.metadata })
    .from(schema.oauthClient)
    .where(eq(schema.oauthClient.clientId, clientId))
    .limit(1);
  return isVerifiedMetadata(client?.metadata);
}

/**
 * Keeps the SSO from being an open redirector through a self-registered client (RFC 9700 §4.11.2).
 * RFC 6749 §4.1.2.1 sends an authorization error to the client's redirect URI once client_id and
 * redirect_uri are valid — but anyone may register a client with `https://evil.example/cb` and then link
 * people to an authorization request that fails on purpose (`scope=x`): the browser went from our
 * address straight to theirs, before the person saw anything. So an error the provider would send to a
 * redirect URI off the SSO goes to our own error page instead, unless the client is verified (configured,
 * or made by an administrator: client-trust.ts) or the URI is a loopback one (`http://127.0.0.1:…`,
 * `http://localhost:…`: a program on the person's own device, where no phishing page waits, and where
 * MCP clients wait to hear why they failed). The decision at the consent page is the exception: the page
 * shows where the answer goes and that the client is unverified, so a refusal there goes back to the
 * client as `access_denied`, as the person was told.
 *
 * An after-hook of its own plugin, listed after the OAuth provider's, so it also sees the authorization
 * the provider resumes from its own after-hook once a person signs in (sign-in, sign-up, the upstream
 * return). Every path of the provider's that redirects to a client passes here: the authorization
 * endpoint's own answer (a Location) and the JSON our pages follow.
 */
export function unverifiedClientErrors(options: { db: SsoDatabase; baseUrl: string; errorPage: string }) {
  const ours = new URL(options.baseUrl).origin;
  return {
    id: "taskflow-unverified-client-errors",
    hooks: {
      after: [
        {
          matcher: (ctx: { path?: string }) => ctx.path !== "/oauth2/consent",
          handler: createAuthMiddleware(async (ctx) => {
            const outgoing = outgoingRedirect(ctx.context.returned);
            if (!outgoing || !URL.canParse(outgoing.url)) return;
            const target = new URL(outgoing.url);
            const code = errorCode(target);
            if (target.origin === ours || code === undefined || isLoopbackRedirect(target)) return;
            if (await isVerifiedClient(options.db, requestClientId(ctx))) return;
            const page = new URL(options.errorPage);
            page.searchParams.set("error", /^[a-z_]{1,64}$/.test(code) ? code : "invalid_request");
            page.searchParams.set("client", "unverified");
            if (outgoing.as === "json") return ctx.json({ redirect: true, url: page.toString() });
            throw ctx.redirect(page.toString());
          }),
        },
      ],
    },
  } satisfies BetterAuthPlugin;
}
